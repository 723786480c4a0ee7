"""Transparent scoring: score = sum over fired indicators of weight x strength.

A tiny tie-break term (registrants per norm place, squashed to [0, 1)) orders the properties
no indicator flags the way the police baseline would: most crowded first.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

PROPERTY_SCORE_COLUMNS = ["property_id", "score", "rank", "registered", "area_m2", "indicators",
                          "explanation"]
DEFAULT_M2_PER_PLACE = 15.0


def strength_matrix(
    base: pd.DataFrame, hits: pd.DataFrame, indicator_ids: list[str]
) -> pd.DataFrame:
    """Properties x indicators strengths (0 where an indicator did not fire)."""
    prop = hits[hits["entity_type"] == "property"]
    wide = prop.pivot_table(index="entity_id", columns="indicator_id", values="strength",
                            aggfunc="max")
    wide = wide.reindex(index=base["property_id"].astype(str), columns=indicator_ids)
    return wide.fillna(0.0).astype(float)


def crowding(base: pd.DataFrame) -> pd.Series:
    """Registrants per norm place squashed to [0, 1): the baseline order for the tie-break."""
    area = pd.to_numeric(base["area_m2"], errors="coerce")
    places = (area / DEFAULT_M2_PER_PLACE).clip(lower=1).fillna(1.0)
    per_place = pd.to_numeric(base["registered"], errors="coerce").fillna(0) / places
    return (per_place / (1 + per_place)).set_axis(base["property_id"].astype(str))


def score_properties(
    base: pd.DataFrame,
    hits: pd.DataFrame,
    weights: dict[str, float],
    tiebreak_weight: float = 0.001,
) -> pd.DataFrame:
    """One row per property of `base` (property_id, registered, area_m2) with score, rank,
    fired indicators and a one-sentence explanation; rank 1 = most suspicious."""
    ids = list(weights)
    matrix = strength_matrix(base, hits, ids)
    w = np.array([weights[i] for i in ids], dtype=float)
    score = matrix.to_numpy() @ w + tiebreak_weight * crowding(base).to_numpy()
    out = pd.DataFrame({
        "property_id": base["property_id"].astype(str).to_numpy(),
        "score": np.round(score, 6),
        "registered": pd.to_numeric(base["registered"], errors="coerce").fillna(0)
        .astype("int64").to_numpy(),
        "area_m2": base["area_m2"].to_numpy(),
    })
    fired, sentence = _explain(hits, weights)
    out["indicators"] = out["property_id"].map(fired).astype(object).fillna("")
    quiet = ("No indicator fired: " + out["registered"].astype(str) + " registered"
             + np.where(out["area_m2"].notna(),
                        " in " + out["area_m2"].map(_num) + " m²", ", area unknown") + ".")
    out["explanation"] = out["property_id"].map(sentence).astype(object).fillna(quiet)
    out = out.sort_values(["score", "registered", "property_id"], ascending=[False, False, True],
                          kind="stable").reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    return out[PROPERTY_SCORE_COLUMNS]


def _num(v: object) -> str:
    if v is None or (isinstance(v, float) and np.isnan(v)):
        return "?"
    f = float(v)  # type: ignore[arg-type]
    return str(int(f)) if f.is_integer() else f"{f:.1f}"


def _explain(hits: pd.DataFrame, weights: dict[str, float]) -> tuple[pd.Series, pd.Series]:
    """Per property: `;`-joined fired ids and one sentence, strongest contribution first."""
    prop = hits[(hits["entity_type"] == "property") & hits["indicator_id"].isin(list(weights))]
    if prop.empty:
        empty = pd.Series(dtype=object)
        return empty, empty.copy()
    prop = prop.assign(contrib=prop["indicator_id"].map(weights) * prop["strength"])
    prop = prop.sort_values(["entity_id", "contrib", "indicator_id"],
                            ascending=[True, False, True])
    grouped = prop.groupby("entity_id", sort=False)
    fired = grouped["indicator_id"].agg(";".join)
    parts = prop["indicator_id"] + ": " + prop["evidence"].astype(str)
    sentence = parts.groupby(prop["entity_id"], sort=False).agg("; ".join)
    count = grouped.size()
    lead = np.where(count == 1, "Flagged by 1 indicator - ",
                    "Flagged by " + count.astype(str) + " indicators - ")
    return fired, pd.Series(lead, index=sentence.index) + sentence + "."
