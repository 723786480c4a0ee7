"""Officials and offices ranked by how their approvals deviate from their peers'.

The core figure, the share of an official's approvals that went to flagged flats, is
compared with the other officials of the same office, shrunk by empirical Bayes and
tested (binomial), so an official with ten approvals is not ranked on luck. Offices are
compared with the rest of the city. The plain-SQL indicators (approvals without consent,
out of hours, volume jumps) come as YAML hits and add to the same score.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd

from zonewatch.network.approvals import NO_OFFICE
from zonewatch.network.base import has_table
from zonewatch.network.deviation import flagged_share, pct, pvalue_text
from zonewatch.network.results import EVIDENCE_COLUMNS, OFFICE_COLUMNS, OFFICIAL_COLUMNS
from zonewatch.network.settings import NetworkSettings


def _rate(x: float) -> str:
    return "n/a" if pd.isna(x) else pct(x)


def _ev(kind: str, entity: str, indicator: str, value: float, threshold: float,
        score: float, text: str) -> dict[str, Any]:
    return {"entity_type": kind, "entity_id": entity, "indicator_id": indicator,
            "value": round(float(value), 6), "threshold": round(float(threshold), 6),
            "score": round(float(score), 4), "evidence": text}


def _combine(
    kind: str, share: pd.DataFrame, texts: pd.Series, hits: pd.DataFrame, weight: float,
    p: NetworkSettings,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score = weight x strength of the flagged share + the YAML hits' scores.

    Returns the ranked frame and the evidence rows of the flagged share only.
    """
    ind = f"{kind}_flagged_share"
    strength = np.where(share["fired"], 1 - share["p0"] / share["post"], 0.0)
    own = pd.DataFrame({
        "entity_type": kind, "entity_id": share.index, "indicator_id": ind,
        "value": share["post"].round(6).to_numpy(),
        "threshold": (p.official_lift_min * share["p0"]).round(6).to_numpy(),
        "score": (weight * strength).round(4), "evidence": texts.to_numpy(),
    })[share["fired"].to_numpy()]
    mine = hits[hits["entity_type"] == kind]
    evidence = pd.concat([e for e in (own, mine) if len(e)] or [own], ignore_index=True)
    evidence = evidence[EVIDENCE_COLUMNS]
    by = evidence.groupby("entity_id")
    total = by["score"].sum()
    fired = by["indicator_id"].agg(lambda s: ";".join(s))
    extra = mine.groupby("entity_id")["evidence"].agg(lambda s: "; ".join(s))
    ids = share.index.union(mine["entity_id"].unique())
    out = pd.DataFrame({f"{kind}_id": ids})
    out["score"] = out[f"{kind}_id"].map(total).fillna(0.0).astype(float)
    out["indicators"] = [fired.get(e, "") for e in out[f"{kind}_id"]]
    base = out[f"{kind}_id"].map(texts).fillna("no approvals to judge in the window")
    more = out[f"{kind}_id"].map(extra)
    label = kind.capitalize()
    out["explanation"] = [
        f"{label} {e}: {b}" + (f"; {m}" if isinstance(m, str) else "") + "."
        for e, b, m in zip(out[f"{kind}_id"], base, more, strict=True)
    ]
    out = out.sort_values(["score", f"{kind}_id"], ascending=[False, True])
    out = out.reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["score"] = out["score"].round(4)
    return out, own[EVIDENCE_COLUMNS].reset_index(drop=True)


def rank_officials(
    con: duckdb.DuckDBPyConnection, hits: pd.DataFrame, p: NetworkSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ranked officials (contract columns) and their evidence rows, from nw_appr."""
    stats = con.execute(
        "SELECT official_id, any_value(office_id) AS office_id, count(*) AS n, "
        "count(*) FILTER (flagged) AS k FROM nw_appr GROUP BY official_id"
    ).df()
    share = flagged_share(stats, "office_id", p).set_index("official_id")
    texts = pd.Series({
        o: f"{int(s.k)} of {int(s.n)} approvals ({pct(s.k / s.n)}) went to flagged flats vs "
           f"{_rate(s.p_peer)} for the other officials of office {s.office_id} and "
           f"{_rate(s.p_other)} in other offices (shrunk {pct(s.post)} against the lower, "
           f"{pvalue_text(s.pvalue)})"
        for o, s in share.iterrows()
    }, dtype=object)
    out, evidence = _combine("official", share, texts, hits, p.official_flagged_share_weight, p)
    office = out["official_id"].map(share["office_id"])
    if has_table(con, "officials"):
        declared = con.execute("SELECT official_id, office_id FROM officials").df()
        office = office.fillna(out["official_id"].map(declared.set_index("official_id")
                                                      ["office_id"]))
    out["office_id"] = office.where(office != NO_OFFICE, None)
    return out[OFFICIAL_COLUMNS], evidence


def rank_offices(
    con: duckdb.DuckDBPyConnection, hits: pd.DataFrame, p: NetworkSettings
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Ranked offices: share of approvals to flagged flats vs the rest of the city."""
    stats = con.execute(
        "SELECT office_id, count(*) AS n, count(*) FILTER (flagged) AS k, "
        "count(DISTINCT official_id) AS officials FROM nw_appr GROUP BY office_id"
    ).df()
    share = flagged_share(stats, None, p).set_index("office_id")
    peers = "the rest of the city" if len(share) > 1 else "the whole city (no other office)"
    texts = pd.Series({
        o: f"{int(s.k)} of {int(s.n)} approvals by {int(s.officials)} officials "
           f"({pct(s.k / s.n)}) went to flagged flats vs {pct(s.p0)} in {peers} "
           f"(shrunk {pct(s.post)}, {pvalue_text(s.pvalue)})"
        for o, s in share.iterrows()
    }, dtype=object)
    out, evidence = _combine("office", share, texts, hits, p.office_flagged_share_weight, p)
    out = out[out["office_id"] != NO_OFFICE].reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out[OFFICE_COLUMNS], evidence[evidence["entity_id"] != NO_OFFICE]
