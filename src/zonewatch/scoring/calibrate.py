"""Calibrate indicator weights from inspection outcomes, against selection bias.

Inspections were mostly sent to the addresses with most registrants, so the inspected set is
not a sample of all properties. Each outcome is weighted by 1 / P(inspected | registrant-count
bin) (inverse propensity), a ridge-regularised logistic model of violation on indicator
strengths is fitted, and its positive coefficients, rescaled to the declared weights' total,
are blended with the declared weights by the number of outcomes (n / (n + prior)); the blend is
a prior centred on the declared weights. Raids go to the fullest addresses, where several
indicators co-fire, so the fit credits them all; each calibrated weight therefore stays within
a factor `max_change` of its declared weight.
Too few outcomes, or too few of either class: the declared weights are kept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

MIN_FIRED_AMONG_INSPECTED = 20  # default: below this an indicator keeps its declared weight
MAX_CHANGE = 1.5  # default: a calibrated weight stays within declared / 1.5 .. declared * 1.5


@dataclass
class Calibration:
    """Weights to use and a JSON-ready summary of how they were obtained."""

    weights: dict[str, float]
    used: bool
    summary: dict[str, Any] = field(default_factory=dict)


def outcomes_frame(inspections: pd.DataFrame) -> pd.DataFrame:
    """Latest usable outcome per property: y = 1 violation, 0 no violation (no_access dropped)."""
    usable = inspections[inspections["outcome"].isin(["violation", "no_violation"])].copy()
    usable["inspected_on"] = pd.to_datetime(usable["inspected_on"], errors="coerce")
    usable = usable.sort_values(["property_id", "inspected_on"]).drop_duplicates(
        "property_id", keep="last")
    return pd.DataFrame({"property_id": usable["property_id"].astype(str),
                         "y": (usable["outcome"] == "violation").astype(float)})


def propensity(registered: pd.Series, inspected: pd.Series, bins: list[float]) -> pd.Series:
    """P(inspected) per property from its registrant-count bin (smoothed, never 0)."""
    edges = sorted(set(float(b) for b in bins)) + [np.inf]
    which = pd.cut(registered.astype(float), bins=edges, right=False, labels=False)
    which = which.fillna(0).astype(int)
    hit = inspected.astype(float).groupby(which).sum()
    total = inspected.groupby(which).size()
    rate = (hit + 0.5) / (total + 1.0)
    return which.map(rate).astype(float)


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, l2: float) -> tuple[np.ndarray, float]:
    """Weighted ridge logistic regression (intercept not penalised)."""
    n, k = x.shape
    xi = np.hstack([np.ones((n, 1)), x])

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = xi @ beta
        p = 1.0 / (1.0 + np.exp(-z))
        ll = w * (np.logaddexp(0, z) - y * z)
        penalty = 0.5 * l2 * float(beta[1:] @ beta[1:])
        grad = xi.T @ (w * (p - y)) + l2 * np.concatenate([[0.0], beta[1:]])
        return float(ll.sum()) + penalty, grad

    result = minimize(loss, np.zeros(k + 1), jac=True, method="L-BFGS-B")
    return result.x[1:], float(result.x[0])


def calibrate(
    matrix: pd.DataFrame,
    registered: pd.Series,
    inspections: pd.DataFrame,
    declared: dict[str, float],
    settings: dict[str, Any],
) -> Calibration:
    """Calibrated weights from `inspections` (property_id, inspected_on, outcome).

    `matrix` is properties x indicators strengths (index property_id), `registered` the
    registrant counts on the same index.
    """
    outcomes = outcomes_frame(inspections)
    known = matrix.index.get_indexer(outcomes["property_id"]) >= 0  # hash lookup, fast
    outcomes = outcomes[known]
    n, pos = len(outcomes), int(outcomes["y"].sum())
    summary: dict[str, Any] = {"outcomes": n, "violations": pos, "no_violations": n - pos}
    if n < int(settings.get("min_outcomes", 30)) or min(pos, n - pos) < int(
            settings.get("min_per_class", 5)):
        summary["reason"] = (
            f"{n} usable outcomes ({pos} violations, {n - pos} without): too few to calibrate "
            f"(need {settings.get('min_outcomes', 30)} and {settings.get('min_per_class', 5)} "
            "of each class); declared weights kept")
        return Calibration(dict(declared), False, summary)
    inspected = pd.Series(False, index=matrix.index)
    inspected.loc[outcomes["property_id"]] = True
    prop = propensity(registered.reindex(matrix.index).fillna(0), inspected,
                      list(settings.get("propensity_bins", [0, 1, 2, 3, 5, 8, 13, 21])))
    ids = list(declared)
    x = matrix.loc[outcomes["property_id"], ids].to_numpy()
    w = 1.0 / prop.loc[outcomes["property_id"]].to_numpy()
    w = w / w.mean()
    coef, intercept = _fit(x, outcomes["y"].to_numpy(), w, float(settings.get("l2", 1.0)))
    fired = (x > 0).sum(axis=0)
    min_fired = int(settings.get("min_fired", MIN_FIRED_AMONG_INSPECTED))
    informative = [i for i, f in zip(ids, fired, strict=True) if f >= min_fired]
    positive = {i: max(0.0, float(c)) for i, c in zip(ids, coef, strict=True) if i in informative}
    total_declared = sum(declared[i] for i in informative)
    total_fit = sum(positive.values())
    alpha = n / (n + float(settings.get("prior_outcomes", 200)))
    max_change = float(settings.get("max_change", MAX_CHANGE))
    if max_change < 1:
        raise ValueError(f"calibration max_change must be >= 1, got {max_change}")
    weights = dict(declared)
    capped = []
    if total_fit > 0:
        for i in informative:
            fitted = positive[i] * total_declared / total_fit
            blended = (1 - alpha) * declared[i] + alpha * fitted
            bounded = min(max(blended, declared[i] / max_change), declared[i] * max_change)
            if bounded != blended:
                capped.append(i)
            weights[i] = round(bounded, 6)
    summary.update({
        "model": "ridge logistic regression on indicator strengths, inverse-propensity weighted",
        "propensity": "P(inspected) by registrant-count bin",
        "coefficients": {i: round(float(c), 4) for i, c in zip(ids, coef, strict=True)},
        "intercept": round(intercept, 4),
        "fired_among_inspected": {i: int(f) for i, f in zip(ids, fired, strict=True)},
        "calibrated_indicators": informative,
        "blend_share_of_calibration": round(alpha, 4),
        "max_change": max_change,
        "capped_at_max_change": capped,
    })
    if total_fit <= 0:
        summary["reason"] = "no indicator had a positive coefficient; declared weights kept"
        return Calibration(dict(declared), False, summary)
    return Calibration(weights, True, summary)
