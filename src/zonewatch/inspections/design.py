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
visits, largest remainders, at most N_h, at least 2 while visits last so a variance can be
estimated) drawn by simple random sampling without replacement, so every property of h is in
the plan with probability exactly pi_h = n_h / N_h. The probabilities of the frame sum to the
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
    shares: tuple[float, float, float] = (0.5, 0.3, 0.2)  # band, flagged, unflagged

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
    """Visits per stratum: share-proportional, largest remainders, capped by stratum size,
    at least 2 per non-empty stratum while visits last, all `n` used when the frame allows."""
    alloc = {h: 0 for h in sizes}
    n = min(n, sum(sizes.values()))
    live = [h for h in sizes if sizes[h] > 0]
    for h in sorted(live, key=lambda h: -shares.get(h, 0.0)):  # a floor of 2 where possible
        take = min(2, sizes[h], n - sum(alloc.values()))
        alloc[h] += max(take, 0)
    while sum(alloc.values()) < n:
        room = [h for h in live if alloc[h] < sizes[h]]
        weight = {h: shares.get(h, 0.0) or 1e-9 for h in room}
        total = sum(weight.values())
        left = n - sum(alloc.values())
        ideal = {h: left * weight[h] / total for h in room}
        step = {h: min(math.floor(ideal[h]), sizes[h] - alloc[h]) for h in room}
        if not any(step.values()):  # hand out the remainders one by one
            best = max(room, key=lambda h: (ideal[h] - math.floor(ideal[h]), weight[h]))
            step = {best: 1}
        for h, k in step.items():
            alloc[h] += k
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
    probs = inclusion_probabilities(frame, n_explore, band_size, design)
    picked = []
    for h in STRATA:
        rows = probs[probs["stratum"] == h]
        n_h = int(rows["stratum_visits"].iloc[0]) if len(rows) else 0
        if n_h:
            picked.append(rows.iloc[np.sort(rng.choice(len(rows), n_h, replace=False))])
    if not picked:
        return probs.iloc[:0]
    return pd.concat(picked).sort_values("rank", kind="stable")
