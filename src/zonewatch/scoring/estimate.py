"""How common fictitious registration is in the city, estimated from one plan's outcomes.

A plan's visits are a probability sample (`zonewatch.inspections.design`, which writes the
inclusion probabilities `analyze --inspections` reads): targets with
inclusion probability 1, exploration visits by simple random sampling without replacement in
strata, each with probability pi_h = n_h / N_h. Visits of one plan with the same selection and
probability form one stratum (strata that happen to share a probability are pooled, which can
only widen the interval). Per stratum h with m_h recorded visits, r_h of them answered
(violation / no_violation; no_access is treated as missing at random within its stratum):

    N_h = m_h / pi_h                 properties the stratum stands for
    Y_h = N_h * mean(y over answered) (Horvitz-Thompson, response-adjusted)
    V_h = N_h^2 (1 - r_h / N_h) s_h^2 / r_h   (simple random sampling without replacement)

Shares are ratios R = sum Y_h / sum X_h with the linearised variance of y - R x, and a 95%
interval from Student's t with Satterthwaite's degrees of freedom (few exploration visits in
a stratum make its variance estimate itself uncertain), clipped to [0, 1]. For shares of
properties, a sampled stratum's variance is computed with one violation and one clean visit
added (Agresti-Caffo), so that a stratum whose few visits all agree (no violation in 18
draws) still adds the uncertainty such a small sample leaves; the point estimate stays the
unbiased HT one. The share over *all* properties is honest but wide when the unflagged
stratum (tens of thousands of flats) gets a dozen visits; the share over *flagged* properties
(pass `flagged`) is where a few hundred visits give a usable interval.

The population covered is the plan's *frame*: the run's properties minus those the planner
skipped (already planned or recently inspected); the result says how many that is. Outcomes
without an inclusion probability (raids, ad-hoc visits) are not a probability sample and are
left out.
"""

from __future__ import annotations

from statistics import NormalDist
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import t as student_t

DECIDED = ("violation", "no_violation")
Z95 = NormalDist().inv_cdf(0.975)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(np.nan, index=frame.index)
    return pd.to_numeric(frame[column].replace("", np.nan), errors="coerce")


def design_rows(inspections: pd.DataFrame) -> pd.DataFrame:
    """Rows with a usable inclusion probability, latest per (plan, property), with a stratum
    key, y (violation 0/1, NaN when unanswered)."""
    inspections = inspections.reset_index(drop=True)
    pi = _numbers(inspections, "inclusion_probability")
    rows = inspections[(pi > 0) & (pi <= 1)].copy()
    rows["pi"] = pi[rows.index]
    plan = rows["plan_id"] if "plan_id" in rows.columns else pd.Series("", index=rows.index)
    rows["plan"] = plan.fillna("").astype(str)
    selection = (rows["selection"].fillna("").astype(str).tolist() if "selection" in rows.columns
                 else ["unknown"] * len(rows))
    rows["stratum_key"] = [f"{s}@{p:.12g}" for s, p in zip(selection, rows["pi"], strict=True)]
    rows["_on"] = pd.to_datetime(rows.get("inspected_on"), errors="coerce")
    rows = rows.sort_values(["plan", "property_id", "_on"], kind="stable").drop_duplicates(
        ["plan", "property_id"], keep="last")
    rows["y"] = np.where(rows["outcome"].isin(DECIDED), (rows["outcome"] == "violation") * 1.0,
                         np.nan)
    return rows


def _satterthwaite(terms: list[tuple[float, int]]) -> float:
    """Degrees of freedom of a sum of stratum variances (v_h from r_h answers)."""
    num = sum(v for v, _ in terms) ** 2
    den = sum(v * v / max(r - 1, 1) for v, r in terms if v > 0)
    return num / den if den > 0 else float("inf")


def _ratio(rows: pd.DataFrame, y: pd.Series, x: pd.Series,
           binary: bool = False) -> dict[str, Any] | None:
    """Stratified ratio sum(Y) / sum(X) with its linearised standard error and 95% interval.

    A sampled stratum (pi < 1) has its variance computed with two pseudo-units added, as
    Agresti and Caffo do, so a stratum whose few visits all agree still adds uncertainty:
    with `binary` (y in {0, 1} within the domain x = 1) one domain success and one failure;
    otherwise (a share of registrants) a unit of the stratum's mean size all fictitious and
    one with none, so one large flat drawn among few does not make a narrow interval."""
    ok = y.notna() & x.notna()
    parts = []
    for _, g in rows.groupby("stratum_key", sort=False):
        answered = g.index[ok[g.index]]
        if not len(answered):
            continue
        pi = float(g["pi"].iloc[0])
        parts.append((len(g) / pi, pi, y[answered].to_numpy(float), x[answered].to_numpy(float)))
    if not parts:
        return None
    total_y = sum(n * ys.mean() for n, _, ys, _ in parts)
    total_x = sum(n * xs.mean() for n, _, _, xs in parts)
    if total_x <= 0:
        return None
    r = total_y / total_x
    terms = []
    for big_n, pi, ys, xs in parts:
        z, m = ys - r * xs, len(ys)
        if binary and pi < 1 and xs.sum() > 0:  # a success and a failure of the domain
            s2 = np.append(z, [1 - r, -r]).var(ddof=1)
        elif pi < 1 and xs.sum() > 0:  # likewise: a unit all fictitious, one with none
            unit = xs.mean()
            s2 = np.append(z, [unit * (1 - r), -unit * r]).var(ddof=1)
        elif m > 1:
            s2 = z.var(ddof=1)
        else:
            s2 = max(float(z[0]) ** 2, 0.25 * xs.mean() ** 2)
        terms.append((big_n ** 2 * max(0.0, 1 - m / big_n) * s2 / m, m))
    var = sum(v for v, _ in terms)
    r, se = float(r), float(np.sqrt(var)) / float(total_x)
    df = _satterthwaite(terms)
    q = float(student_t.ppf(0.975, df)) if df < 1e6 else Z95
    lo, hi = max(0.0, r - q * se), min(1.0, r + q * se)
    return {"estimate": round(float(r), 6), "se": round(se, 6),
            "ci95": [round(lo, 6), round(hi, 6)], "df": round(df, 1) if df < 1e6 else None,
            "total": round(float(total_y), 1),
            "total_ci95": [round(lo * float(total_x), 1), round(hi * float(total_x), 1)]}


def estimate_plan(rows: pd.DataFrame, n_properties: int | None = None,
                  registered: pd.Series | None = None,
                  flagged: set[str] | None = None) -> dict[str, Any]:
    """Estimates from one plan's design rows (see `design_rows`)."""
    frame = float(sum(len(g) / g["pi"].iloc[0] for _, g in rows.groupby("stratum_key")))
    one = pd.Series(1.0, index=rows.index)
    out: dict[str, Any] = {
        "plan_id": rows["plan"].iloc[0] or None,
        "visits": len(rows), "answered": int(rows["y"].notna().sum()),
        "violations": int((rows["y"] == 1).sum()),
        "frame_properties": round(frame),
        "population": (f"the {round(frame)} properties of the plan's frame (the run's "
                       "properties the planner did not skip as planned or recently inspected)"
                       + (f", of {n_properties} in the city" if n_properties else "")),
        "share_with_fictitious": _ratio(rows, rows["y"], one, binary=True),
        "strata": sorted(
            ({"selection": str(g["stratum_key"].iloc[0]).split("@")[0],
              "inclusion_probability": float(g["pi"].iloc[0]), "visits": len(g),
              "answered": int(g["y"].notna().sum()), "violations": int((g["y"] == 1).sum())}
             for _, g in rows.groupby("stratum_key", sort=False)),
            key=lambda h: -h["inclusion_probability"]),
    }
    if n_properties:
        out["city_properties"] = int(n_properties)
    if flagged is not None:
        is_flagged = rows["property_id"].astype(str).isin(flagged).astype(float)
        out["share_of_flagged_with_fictitious"] = _ratio(rows, rows["y"] * is_flagged,
                                                         is_flagged, binary=True)
    fict = _numbers(rows, "fictitious_count").where(rows["y"].notna())
    fict = fict.where(fict.notna() | (rows["y"] != 0), 0.0)  # a clean flat has none
    if fict.notna().any():
        if registered is not None:
            count = rows["property_id"].astype(str).map(registered).astype(float)
        else:
            count = _numbers(rows, "persons_found").fillna(0) + fict
        out["fictitious_share_of_registrants"] = _ratio(rows, fict, count)
    return out


def estimate_from_inspections(
    inspections_df: pd.DataFrame,
    n_properties: int,
    registered: pd.Series | None = None,
    flagged: set[str] | None = None,
) -> dict[str, Any]:
    """The city-wide estimate for `run.json`, from the latest plan with inclusion
    probabilities among the inspections (the contract's columns plus `selection`,
    `inclusion_probability` and `plan_id`); `registered` maps property id to registrants
    (for the share of registrants), `flagged` lists flagged ids (for the flagged share)."""
    if inspections_df is None or "inclusion_probability" not in inspections_df.columns:
        return {"status": "no outcomes carry inclusion probabilities (plan with zonewatch plan)"}
    rows = design_rows(inspections_df)
    if not len(rows):
        return {"status": "no outcomes carry inclusion probabilities (plan with zonewatch plan)"}
    latest = rows.groupby("plan")["_on"].max().sort_values(kind="stable")
    chosen = latest.index[-1] if len(latest) else rows["plan"].iloc[0]
    result = estimate_plan(rows[rows["plan"] == chosen], n_properties, registered, flagged)
    result["status"] = "ok" if result["share_with_fictitious"] else "no answered visits"
    result["method"] = ("Horvitz-Thompson over the plan's design: targets with probability 1, "
                        "exploration by stratified simple random sampling without replacement; "
                        "variance per stratum, no_access missing at random within its stratum")
    result["plans_with_probabilities"] = int(rows["plan"].nunique())
    return result
