"""The share of a unit's (official's, office's) approvals that went to flagged flats,
against its peers, shrunk and tested; shared by the official and office rankings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from zonewatch.network.settings import NetworkSettings
from zonewatch.network.shrink import binom_pvalue, leave_one_out, prior_strength, shrunk_rate


def flagged_share(stats: pd.DataFrame, peer: str | None, p: NetworkSettings) -> pd.DataFrame:
    """Shrunk share of approvals to flagged flats vs the peers' rate p0.

    `stats` has one row per unit with columns n, k (and `peer`, the unit's office, when
    given). With a peer group, p0 is the lower of two baselines: the other units of the
    same group (leave-one-out) and the units of all other groups, so an office whose
    officials are all captured is not its own yardstick. Without one, p0 is the rate of
    all other units. Adds p_peer, p_other, p0, post, pvalue, fired, score.
    """
    k, n = stats["k"].to_numpy(float), stats["n"].to_numpy(float)
    everyone = k.sum() / max(n.sum(), 1.0)
    rest = leave_one_out(np.full_like(k, k.sum()), np.full_like(n, n.sum()), k, n, everyone)
    if peer:
        tk = stats.groupby(peer)["k"].transform("sum").to_numpy(float)
        tn = stats.groupby(peer)["n"].transform("sum").to_numpy(float)
        p_peer = leave_one_out(tk, tn, k, n, np.nan)
        p_other = leave_one_out(np.full_like(k, k.sum()), np.full_like(n, n.sum()), tk, tn,
                                np.nan)
        p0 = np.fmin(p_peer, p_other)
        p0 = np.where(np.isnan(p0), rest, p0)
    else:
        p_peer = p_other = p0 = rest
    p0 = np.clip(p0, 1e-4, 1 - 1e-4)
    m = prior_strength(k, n, tuple(p.prior_strength_bounds))
    post = shrunk_rate(k, n, p0, m)
    pval = binom_pvalue(k, n, p0)
    fired = (pval < p.official_alpha) & (post >= p.official_lift_min * p0)
    return stats.assign(p_peer=p_peer, p_other=p_other, p0=p0, post=post, pvalue=pval,
                        fired=fired, score=np.where(fired, np.log2(post / p0), 0.0),
                        prior_m=m)


def pct(x: float) -> str:
    """A share as a short percentage."""
    return f"{100 * x:.1f}%" if x < 0.1 else f"{100 * x:.0f}%"


def pvalue_text(pv: float) -> str:
    """A p-value for a sentence."""
    return "p<0.001" if pv < 0.001 else f"p={pv:.3f}"
