"""The sampling design of a plan: targets by rank, plus exploration drawn with known odds.

A plan of C visits keeps `explore_share` of them (floor(C x share)) for exploration. The rest
are *targets*: the best-ranked eligible properties, each in the plan for certain (inclusion
probability 1). Every other eligible property forms the exploration frame, split into strata:

- `band`: the next `band_width x C` properties by rank, just below the cut-off, where a better
  ranking would most often change its mind;
- `flagged`: the other properties with at least one indicator (their combinations are what the
  ranking is least sure of once it stops listing them);
- `unflagged`: properties no indicator fired for.

Each stratum h of N_h properties gets n_h visits (the stratum's share of the exploration
visits, largest remainders, at most N_h, at least 1 and then 2 while visits last, so every
property of the frame can be drawn and a variance estimated), drawn by simple random
sampling without replacement, so every property of h is in the plan with probability exactly
pi_h = n_h / N_h. The probabilities of the frame sum to the
number of exploration visits, and Horvitz-Thompson estimates (sum of y / pi over the visits)
are unbiased for totals over targets + frame: see `zonewatch.inspections.estimate`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from zonewatch.inspections.settings import DEFAULTS

STRATA: tuple[str, ...] = ("band", "flagged", "unflagged")


@dataclass(frozen=True)
class Design:
    """How many visits explore and how they are spread over the strata."""

    explore_share: float = float(DEFAULTS["explore_share"])
    band_width: float = float(DEFAULTS["band_width"])
    shares: tuple[float, float, float] = (0.4, 0.4, 0.2)  # band, flagged, unflagged

    def __post_init__(self) -> None:
        if not 0.0 <= self.explore_share <= 1.0:
            raise ValueError(f"explore_share must be within 0..1, got {self.explore_share}")
        if self.band_width < 0:
            raise ValueError(f"band_width must be >= 0, got {self.band_width}")
        if len(self.shares) != len(STRATA) or min(self.shares) < 0 or sum(self.shares) <= 0:
            raise ValueError(f"shares must be {len(STRATA)} numbers >= 0 with a positive sum")

    def explore_visits(self, capacity: int) -> int:
        """Exploration visits of a plan holding `capacity` visits."""
        return math.floor(capacity * self.explore_share + 1e-9)


def strata_of(frame: pd.DataFrame, band_size: int) -> pd.Series:
    """Stratum of each frame row (frame: ranked properties outside the targets, by rank)."""
    ordered = frame.sort_values("rank", kind="stable")
    flagged = ordered["indicators"].fillna("").astype(str).str.len() > 0
    stratum = np.where(flagged, "flagged", "unflagged").astype(object)
    stratum[: min(band_size, len(ordered))] = "band"
    return pd.Series(stratum, index=ordered.index).reindex(frame.index)


def allocate(sizes: dict[str, int], n: int, shares: dict[str, float]) -> dict[str, int]:
    """Visits per stratum: proportional to the shares with stratum sizes as caps (what a
    full stratum cannot take goes to the others), rounded by largest remainders; then every
    non-empty stratum gets at least 1, and then 2, visits while larger ones can give."""
    n = min(n, sum(sizes.values()))
    live = [h for h in sizes if sizes[h] > 0]
    weight = {h: shares.get(h, 0.0) or 1e-9 for h in live}
    ideal: dict[str, float] = {}
    free, left = list(live), float(n)
    while free:
        total = sum(weight[h] for h in free)
        full = [h for h in free if left * weight[h] / total >= sizes[h]]
        if not full:
            ideal.update({h: left * weight[h] / total for h in free})
            break
        for h in full:
            ideal[h] = float(sizes[h])
            left -= sizes[h]
            free.remove(h)
    alloc = {h: 0 for h in sizes} | {h: math.floor(ideal[h] + 1e-9) for h in live}
    by_remainder = sorted(live, key=lambda h: (-(ideal[h] - alloc[h]), -weight[h]))
    for h in by_remainder[: n - sum(alloc.values())]:
        alloc[h] += 1
    for level in (1, 2):
        for h in sorted(live, key=lambda h: -weight[h]):
            while alloc[h] < min(level, sizes[h]):
                donors = [g for g in live if g != h and alloc[g] > level]
                if not donors:
                    break
                alloc[max(donors, key=lambda g: (alloc[g], -weight[g]))] -= 1
                alloc[h] += 1
    return alloc


def inclusion_probabilities(frame: pd.DataFrame, n_explore: int, band_size: int,
                            design: Design) -> pd.DataFrame:
    """The frame with `stratum`, stratum size, visits `n_h` and `inclusion_probability`."""
    out = frame.copy()
    out["stratum"] = strata_of(frame, band_size)
    sizes = {h: int((out["stratum"] == h).sum()) for h in STRATA}
    alloc = allocate(sizes, n_explore, dict(zip(STRATA, design.shares, strict=True)))
    out["stratum_size"] = out["stratum"].map(sizes).astype(int)
    out["stratum_visits"] = out["stratum"].map(alloc).astype(int)
    out["inclusion_probability"] = out["stratum_visits"] / out["stratum_size"]
    return out


def draw(frame: pd.DataFrame, n_explore: int, band_size: int, design: Design,
         rng: np.random.Generator) -> pd.DataFrame:
    """The exploration visits: n_h rows drawn without replacement from each stratum."""
    return draw_from(inclusion_probabilities(frame, n_explore, band_size, design), rng)


def draw_from(probs: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One draw from a frame carrying `inclusion_probabilities`' columns, in rank order."""
    picked = []
    stratum = probs["stratum"].to_numpy()
    visits = probs["stratum_visits"].to_numpy()
    for h in STRATA:
        where = np.flatnonzero(stratum == h)
        if len(where) and visits[where[0]]:
            picked.append(np.sort(rng.choice(where, int(visits[where[0]]), replace=False)))
    rows = probs.iloc[np.concatenate(picked)] if picked else probs.iloc[:0]
    return rows.sort_values("rank", kind="stable")
