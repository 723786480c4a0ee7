"""The effect of a measure on new registrations: difference in differences against similar
properties the measure did not touch, over equal windows, with a bootstrap interval.

Treated: the properties the entry's indicators flagged, taken from the latest registered run
whose as-of date is before the measure (so the group is not chosen by what came after);
without such a run, from the latest run, and the result says so. Comparison: the properties
no indicator of the entry flagged, in the same district and of the same kind, weighted so that
each district x kind cell counts as much as it does among the treated (treated properties
of a cell without comparison properties are left out and counted as `unmatched`).

Windows: W days before the effective date and W days from it, W = the shortest of a year, the
days from the date to the run's as-of date and the days the registrations reach back before
the date. Effect: (treated after / before) / (comparison after / before) - 1, as a % change;
its 95% interval from a Poisson bootstrap over properties (each property's weight drawn from
Poisson(1), so properties with many registrations move together, as they do).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
import pandas as pd

from zonewatch.rundir import RunDir

WINDOW_DAYS = 365  # the longest window compared before and after a measure
BOOTSTRAP_DRAWS = 1000
SEED = 20181108  # fixed: the same run and measure always give the same interval


def windows(start: date, as_of: date, first: date | None) -> int:
    """Days W of the two equal windows [start - W, start) and [start, start + W)."""
    back = (start - first).days if first else 0
    return max(0, min(WINDOW_DAYS, (as_of - start).days, back))


def property_counts(run: RunDir, start: date, days: int) -> pd.DataFrame:
    """Per property: district, kind and new registrations in the window before and after."""
    return run.frame(
        "SELECT p.property_id, p.district, p.kind, "
        "count(r.property_id) FILTER (WHERE r.start_date < ?) AS before, "
        "count(r.property_id) FILTER (WHERE r.start_date >= ?) AS after "
        "FROM properties p LEFT JOIN registrations r ON r.property_id = p.property_id "
        "AND r.start_date >= ? AND r.start_date < ? GROUP BY ALL",
        [start, start, start - timedelta(days=days), start + timedelta(days=days)])


def _weights(counts: pd.DataFrame, treated: set[str]) -> pd.DataFrame:
    """The counts with `group` (treated, comparison) and `weight` (comparison reweighted to
    the treated's district x kind mix; unmatched treated weight 0)."""
    frame = counts.assign(
        group=np.where(counts["property_id"].astype(str).isin(treated), "treated", "comparison"),
        cell=counts["district"].astype(str) + "|" + counts["kind"].astype(str))
    sizes = frame.groupby(["cell", "group"]).size().unstack(fill_value=0)
    for col in ("treated", "comparison"):
        if col not in sizes:
            sizes[col] = 0
    ratio = (sizes["treated"] / sizes["comparison"].replace(0, np.nan)).fillna(0.0)
    matched = set(sizes.index[(sizes["treated"] > 0) & (sizes["comparison"] > 0)])
    weight = np.where(frame["group"] == "treated", frame["cell"].isin(matched).astype(float),
                      frame["cell"].map(ratio).fillna(0.0))
    return frame.assign(weight=weight)


def _ratio_of_ratios(before_t: np.ndarray, after_t: np.ndarray, before_c: np.ndarray,
                     after_c: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return (after_t / before_t) / (after_c / before_c)


def did_effect(counts: pd.DataFrame, treated: set[str], draws: int = BOOTSTRAP_DRAWS,
               seed: int = SEED) -> dict[str, Any]:
    """The difference-in-differences of new registrations, treated against comparison."""
    frame = _weights(counts, treated)
    t = frame[(frame["group"] == "treated") & (frame["weight"] > 0)]
    c = frame[(frame["group"] == "comparison") & (frame["weight"] > 0)]
    unmatched = int(((frame["group"] == "treated") & (frame["weight"] == 0)).sum())
    sums = {"treated": (float(t["before"].sum()), float(t["after"].sum())),
            "comparison": (float((c["before"] * c["weight"]).sum()),
                           float((c["after"] * c["weight"]).sum()))}
    out: dict[str, Any] = {
        "treated": {"properties": len(t), "before": int(t["before"].sum()),
                    "after": int(t["after"].sum())},
        "comparison": {"properties": len(c), "before": round(sums["comparison"][0], 1),
                       "after": round(sums["comparison"][1], 1), "weighted": True},
        "unmatched_treated": unmatched}
    if len(t) == 0 or len(c) == 0 or min(*sums["treated"], *sums["comparison"]) <= 0:
        return out | {"available": False,
                      "why": "no treated or comparison registrations in one of the windows"}
    point = _ratio_of_ratios(*(np.array([v]) for v in (*sums["treated"], *sums["comparison"])))
    rng = np.random.default_rng(seed)
    wt = rng.poisson(1.0, size=(draws, len(t)))
    wc = rng.poisson(1.0, size=(draws, len(c))) * c["weight"].to_numpy()
    boot = _ratio_of_ratios(wt @ t["before"].to_numpy(float), wt @ t["after"].to_numpy(float),
                            wc @ c["before"].to_numpy(float), wc @ c["after"].to_numpy(float))
    boot = boot[np.isfinite(boot)]
    low, high = np.quantile(boot, [0.025, 0.975]) if len(boot) else (np.nan, np.nan)
    return out | {
        "available": True,
        "ratio_treated": round(sums["treated"][1] / sums["treated"][0], 4),
        "ratio_comparison": round(sums["comparison"][1] / sums["comparison"][0], 4),
        "change_pct": round(100 * (float(point[0]) - 1), 1),
        "ci95_pct": [round(100 * (float(low) - 1), 1), round(100 * (float(high) - 1), 1)],
        "bootstrap_draws": int(len(boot)),
        "method": "difference in differences of new registrations (ratio of after/before "
                  "ratios), comparison reweighted by district x kind; 95% Poisson bootstrap "
                  "over properties"}


def measure_effect(run: RunDir, treated: set[str], start: date, as_of: date,
                   treated_from: dict[str, Any]) -> dict[str, Any]:
    """The effect of a measure effective on `start`, from the run's registrations."""
    if not run.has_table("registrations") or not run.has_table("properties"):
        return {"available": False, "why": "the run has no registrations or properties table"}
    first = run.query("SELECT min(start_date) AS first FROM registrations")[0]["first"]
    days = windows(start, as_of, first)
    if days < 30:
        return {"available": False, "why": f"under 30 days of registrations on one side of "
                                           f"{start} (as-of {as_of}, first {first})"}
    result = did_effect(property_counts(run, start, days), treated)
    return {"window_days": days,
            "window_before": [(start - timedelta(days=days)).isoformat(), start.isoformat()],
            "window_after": [start.isoformat(), (start + timedelta(days=days)).isoformat()],
            "treated_from": treated_from, **result}
