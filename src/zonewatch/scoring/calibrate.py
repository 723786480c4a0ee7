"""Learn indicator weights from inspection outcomes, against selection bias.

An agency's only truth is its inspections, and it inspects what the ranking put on top, so the
inspected set is no sample of all properties. Each usable outcome (a violation, confirmed
fictitious registrants or brokering = 1; a clean visit = 0) is weighted by 1 / its inclusion
probability: the one the plan recorded (`inclusion_probability`, as `zonewatch plan` writes
it), else one estimated from how visits are chosen (the inspected share of properties of
the same band of the uncalibrated ranking and the same registrant count: plans go down the
list, raids to the fullest addresses). A logistic model of the outcome on the indicators'
evidence is fitted with a Gaussian prior centred on the declared weights (times one fitted
scale): with few outcomes the declared weights stand, with many the outcomes decide. A
weight falls below its prior only as far as the visits where it was the main evidence allow
(`support_visits` pseudo-visits): one that only fired beside stronger indicators (a raid's
fullest flats) is not identified by those outcomes, which is not the same as refuted. An
indicator the outcomes refute gets weight 0; one they confirm gains without a cap (a
counter-evidence indicator, declared negative, stays negative or 0). The weights are
rescaled to the declared positive total so scores stay on their usual scale. Inspections miss some
violations (residents coached, nobody home): the model allows a share `label_noise` of
outcomes to be wrong, so a handful of clean visits to heavily flagged flats cannot turn the
indicators they share into evidence of innocence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from zonewatch.indicators.settings import CalibrationSettings

POSITIVE_OUTCOMES = ("violation",)
USABLE_OUTCOMES = ("violation", "no_violation")


@dataclass
class Calibration:
    """Weights to use and a JSON-ready summary of how they were obtained."""

    weights: dict[str, float]
    used: bool
    summary: dict[str, Any] = field(default_factory=dict)
    # intercept and log odds per score point under `weights`, for the pattern step
    model: dict[str, float] = field(default_factory=dict)
    # the usable outcomes with their normalised inverse-propensity weights
    outcomes: pd.DataFrame | None = None


def outcomes_frame(inspections: pd.DataFrame) -> pd.DataFrame:
    """Latest usable outcome per property: y = 1 for a violation (or confirmed fictitious
    registrants or brokering), 0 for a clean visit; no_access is dropped. Keeps the recorded
    inclusion probability (NaN where the visit did not record one) and the visit date."""
    frame = inspections.copy()
    for column in ("fictitious_count", "brokering", "inclusion_probability"):
        if column not in frame:
            frame[column] = None
    usable = frame[frame["outcome"].isin(USABLE_OUTCOMES)].copy()
    usable["inspected_on"] = pd.to_datetime(usable["inspected_on"], errors="coerce")
    usable = usable.sort_values(["property_id", "inspected_on"]).drop_duplicates(
        "property_id", keep="last")
    fictitious = pd.to_numeric(usable["fictitious_count"], errors="coerce").fillna(0)
    brokering = usable["brokering"].astype(str).str.lower().isin(["true", "1", "yes"])
    y = usable["outcome"].isin(POSITIVE_OUTCOMES) | (fictitious > 0) | brokering
    prob = pd.to_numeric(usable["inclusion_probability"], errors="coerce")
    return pd.DataFrame({"property_id": usable["property_id"].astype(str).to_numpy(),
                         "y": y.astype(float).to_numpy(),
                         "inclusion_probability": prob.where((prob > 0) & (prob <= 1)).to_numpy(),
                         "inspected_on": usable["inspected_on"].to_numpy()})


def propensity(selection: pd.DataFrame, inspected: pd.Series, bins: tuple[int, ...]
               ) -> pd.Series:
    """P(inspected) per property from how visits were chosen: plans go down the ranking,
    raids to the addresses with most registrants. The inspected share of each cell of rank
    band (1-50, 51-150, 151-350, ... each twice the last) x registrant count bin (edges
    `bins`), shrunk to
    its rank band's share by one pseudo-property (`selection` columns `rank`, `registered`,
    same index). A cell nobody visited gets a probability near 0: nothing there was seen."""
    rank = selection["rank"].astype(float).clip(lower=1).to_numpy()
    band = np.floor(np.log2(1 + (rank - 1) / 50)).astype(int)
    size = np.searchsorted(bins, selection["registered"].astype(float).clip(
        lower=0).to_numpy(), side="right")
    y = inspected.reindex(selection.index).fillna(False).to_numpy(dtype=float)
    frame = pd.DataFrame({"band": band, "cell": band * 100 + size, "y": y})
    by_band = frame.groupby("band")["y"].agg(["sum", "size"])
    band_rate = (by_band["sum"] + 0.5) / (by_band["size"] + 1.0)
    by_cell = frame.groupby("cell").agg(hit=("y", "sum"), total=("y", "size"),
                                        band=("band", "first"))
    cell_rate = (by_cell["hit"] + by_cell["band"].map(band_rate)) / (by_cell["total"] + 1)
    return pd.Series(frame["cell"].map(cell_rate).to_numpy(), index=selection.index)


def _fit(x: np.ndarray, y: np.ndarray, w: np.ndarray, prior: np.ndarray,
         precision: np.ndarray | float, noise: float = 0.0) -> tuple[np.ndarray, float]:
    """Weighted logistic regression with a Gaussian prior N(prior, 1/precision) on each
    coefficient (intercept free); with `noise` > 0 an outcome is taken as wrong with that
    probability, P(y = 1) = noise + (1 - 2 noise) sigmoid(z), which bounds the pull of a
    mislabelled outcome."""
    n, k = x.shape
    xi = np.hstack([np.ones((n, 1)), x])

    def loss(beta: np.ndarray) -> tuple[float, np.ndarray]:
        z = np.clip(xi @ beta, -50, 50)
        sig = 1.0 / (1.0 + np.exp(-z))
        p = noise + (1 - 2 * noise) * sig
        ll = -w * (y * np.log(p) + (1 - y) * np.log1p(-p))
        dz = -w * (y / p - (1 - y) / (1 - p)) * (1 - 2 * noise) * sig * (1 - sig)
        dev = beta[1:] - prior
        grad = xi.T @ dz + np.concatenate([[0.0], precision * dev])
        return float(ll.sum()) + 0.5 * float((precision * dev) @ dev), grad

    start = np.concatenate([[0.0], prior])
    result = minimize(loss, start, jac=True, method="L-BFGS-B")
    return result.x[1:], float(result.x[0])


def own_support(x: np.ndarray, weights: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per indicator, the (inverse-propensity weighted) number of visits that tell its own
    worth: visits where it was the main evidence, at least half of the flat's declared
    score. Where it only ever fired beside stronger evidence (a raid's fullest flats), the
    outcomes cannot separate its share from the others': that is not identified, which is
    not refuted, so its weight stays near the prior."""
    contribution = np.abs(x * weights)
    total = contribution.sum(axis=1, keepdims=True)
    main = (contribution > 0) & (contribution >= 0.5 * np.maximum(total, 1e-12))
    return (main * w[:, None]).sum(axis=0)


def _prior_scale(score: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    """Log-odds per point of the declared score: one slope fitted on the outcomes, with a
    unit prior so that outcomes the score separates perfectly give a finite slope."""
    slope, _ = _fit(score[:, None], y, w, np.zeros(1), 1.0)
    return max(float(slope[0]), 0.05)


def calibrate(
    matrix: pd.DataFrame,
    selection: pd.DataFrame,
    inspections: pd.DataFrame,
    declared: dict[str, float],
    settings: CalibrationSettings,
) -> Calibration:
    """Learned weights from `inspections` (property_id, inspected_on, outcome, optional
    fictitious_count, brokering, inclusion_probability).

    `matrix` is properties x indicators evidence (index property_id); `selection` holds the
    uncalibrated `rank` and the `registered` count on the same index; `settings` is the
    `calibration` section.
    """
    outcomes = outcomes_frame(inspections)
    outcomes = outcomes[matrix.index.get_indexer(outcomes["property_id"]) >= 0]
    n, pos = len(outcomes), int(outcomes["y"].sum())
    summary: dict[str, Any] = {"outcomes": n, "violations": pos, "no_violations": n - pos}
    need, per_class = settings.min_outcomes, settings.min_per_class
    if n < need or min(pos, n - pos) < per_class:
        summary["reason"] = (
            f"{n} usable outcomes ({pos} violations, {n - pos} without): too few to calibrate "
            f"(need {need} and {per_class} of each class); declared weights kept")
        return Calibration(dict(declared), False, summary)
    ids = list(declared)
    inspected = pd.Series(False, index=matrix.index)
    inspected.loc[outcomes["property_id"]] = True
    estimated = propensity(selection.reindex(matrix.index).fillna(
        {"rank": float(len(matrix)), "registered": 0.0}), inspected,
        settings.propensity_bins)
    recorded = outcomes["inclusion_probability"].to_numpy(dtype=float)
    prob = np.where(np.isnan(recorded), estimated.loc[outcomes["property_id"]].to_numpy(),
                    recorded)
    w = np.minimum(1.0 / prob, settings.max_ipw)
    w = w / w.mean()
    x = matrix.loc[outcomes["property_id"], ids].to_numpy(dtype=float)
    y = outcomes["y"].to_numpy()
    weights0 = np.array([declared[i] for i in ids], dtype=float)
    scale = _prior_scale(x @ weights0, y, w)
    # the prior is relative: a weight may move by about its own size per 1/sqrt(precision)
    prior = scale * weights0
    precision = settings.prior_precision / np.maximum(np.abs(prior), 0.05) ** 2
    fitted, intercept = _fit(x, y, w, prior, precision, settings.label_noise)
    support = own_support(x, weights0, w)
    trust = support / (support + settings.support_visits)
    coef = np.where(fitted >= prior, fitted, prior + trust * (fitted - prior))
    fired = (x > 0).sum(axis=0)
    # a weight keeps its declared sign (counter-evidence stays counter-evidence) or goes to 0
    learned = np.where(weights0 >= 0, np.maximum(coef, 0.0), np.minimum(coef, 0.0))
    positive = weights0 > 0
    total_declared, total_learned = weights0[positive].sum(), learned[positive].sum()
    if total_learned <= 0:
        summary["reason"] = "no indicator had a positive coefficient; declared weights kept"
        return Calibration(dict(declared), False, summary)
    rescaled = learned * total_declared / total_learned
    weights = {i: round(float(v), 6) for i, v in zip(ids, rescaled, strict=True)}
    model = {"intercept": intercept, "log_odds_per_point": float(total_learned / total_declared)}
    used = outcomes.assign(ipw=w)[["property_id", "y", "ipw"]]
    summary.update({
        "model": "logistic regression on indicator evidence, inverse-propensity weighted, "
                 "Gaussian prior centred on the declared weights",
        "propensity": ("recorded inclusion probabilities for "
                       f"{int((~np.isnan(recorded)).sum())} outcomes; estimated from rank and "
                       f"registrants for {int(np.isnan(recorded).sum())}"),
        "prior_scale_log_odds_per_point": round(scale, 4),
        "prior_precision": settings.prior_precision,
        "label_noise": settings.label_noise,
        "coefficients": {i: round(float(c), 4) for i, c in zip(ids, coef, strict=True)},
        "fitted_coefficients": {i: round(float(c), 4) for i, c in zip(ids, fitted, strict=True)},
        "own_support": {i: round(float(s), 1) for i, s in zip(ids, support, strict=True)},
        "intercept": round(intercept, 4),
        "fired_among_inspected": {i: int(f) for i, f in zip(ids, fired, strict=True)},
        "refuted": [i for i, c, d in zip(ids, coef, weights0, strict=True) if c * d <= 0],
        "changed": {i: [round(declared[i], 4), weights[i]] for i in ids
                    if abs(weights[i] - declared[i]) > 0.05 * max(declared[i], 1e-9)},
    })
    return Calibration(weights, True, summary, model, used)
