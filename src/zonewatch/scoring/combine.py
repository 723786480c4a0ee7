"""Transparent scoring: score = sum over fired indicators of weight x strength, except that
indicators of one evidence family (several measures of one fact, e.g. crowding by strangers)
add their strongest contribution in full and the others times `family_discount`, so one
fact seen four ways does not outweigh four independent facts.

A tiny tie-break term (registrants per place of the property's living-space norm, squashed to
[0, 1)) orders the properties no indicator flags the way the police baseline would: most
crowded first.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from zonewatch.contract.run_files import columns
from zonewatch.indicators.settings import ScoringSettings

PROPERTY_SCORE_COLUMNS = columns("properties_ranked.csv")
HIT_WEIGHT = "weight"  # optional hit column: that hit's own weight, in place of its indicator's


def strength_matrix(
    base: pd.DataFrame, hits: pd.DataFrame, indicator_ids: list[str]
) -> pd.DataFrame:
    """Properties x indicators strengths (0 where an indicator did not fire)."""
    prop = hits[hits["entity_type"] == "property"]
    wide = prop.pivot_table(index="entity_id", columns="indicator_id", values="strength",
                            aggfunc="max")
    wide = wide.reindex(index=base["property_id"].astype(str), columns=indicator_ids)
    return wide.fillna(0.0).astype(float)


SCORE_SQL = """
WITH h AS (
  SELECT CAST(entity_id AS VARCHAR) AS property_id, indicator_id, evidence, contrib
  FROM zw_hits
), agg AS (
  SELECT property_id, sum(contrib) AS total, count(*) AS n,
         string_agg(indicator_id, ';' ORDER BY contrib DESC, indicator_id) AS fired,
         string_agg(indicator_id || ': ' || evidence, '; ' ORDER BY contrib DESC, indicator_id)
           AS sentence
  FROM h GROUP BY property_id
), b AS (
  SELECT CAST(property_id AS VARCHAR) AS property_id,
         coalesce(CAST(registered AS BIGINT), 0) AS registered,
         CAST(area_m2 AS DOUBLE) AS area_m2,
         coalesce(CAST(registered AS DOUBLE), 0)
           / greatest(coalesce(CAST(area_m2 AS DOUBLE) / CAST(norm_m2 AS DOUBLE), 1), 1)
           AS per_place
  FROM zw_base
), s AS (
  SELECT b.property_id, b.registered, b.area_m2,
         round(coalesce(a.total, 0) + $tiebreak * b.per_place / (1 + b.per_place), 6) AS score,
         coalesce(a.fired, '') AS indicators,
         CASE WHEN a.n IS NULL THEN 'No indicator fired: ' || b.registered || ' registered'
                || CASE WHEN b.area_m2 IS NULL THEN ', area unknown'
                   ELSE ' in ' || regexp_replace(CAST(round(b.area_m2, 1) AS VARCHAR),
                                                 '\\.0$', '') || ' m²' END || '.'
              WHEN a.n = 1 THEN 'Flagged by 1 indicator - ' || a.sentence || '.'
              ELSE 'Flagged by ' || a.n || ' indicators - ' || a.sentence || '.' END
           AS explanation
  FROM b LEFT JOIN agg a ON a.property_id = b.property_id
)
SELECT property_id, score,
       row_number() OVER (ORDER BY score DESC, registered DESC, property_id) AS rank,
       registered, area_m2, indicators, explanation
FROM s ORDER BY rank
"""


def contributions(
    hits: pd.DataFrame,
    weights: dict[str, float],
    families: dict[str, str],
    family_discount: float,
) -> pd.Series:
    """Each hit's share of its entity's score: weight x strength, except that within an
    evidence family (`families` maps indicator ids to one; absent: its own) only the
    strongest hit of an entity counts in full and the others times `family_discount`.
    A hit with a `weight` of its own (HIT_WEIGHT, not NaN) uses it instead of its
    indicator's. NaN where the indicator has no weight."""
    weight = hits["indicator_id"].map(weights).astype(float)
    if HIT_WEIGHT in hits:
        weight = hits[HIT_WEIGHT].astype(float).fillna(weight)
    raw = hits["strength"].astype(float) * weight
    order = pd.DataFrame({"type": hits["entity_type"], "id": hits["entity_id"].astype(str),
                          "family": hits["indicator_id"].map(lambda i: families.get(i, i)),
                          "raw": raw, "indicator": hits["indicator_id"]})
    order = order.sort_values(["raw", "indicator"], ascending=[False, True])
    strongest = ~order.duplicated(["type", "id", "family"])
    factor = pd.Series(np.where(strongest, 1.0, float(family_discount)), index=order.index)
    return (raw * factor.reindex(hits.index)).round(6)


def score_properties(
    base: pd.DataFrame,
    hits: pd.DataFrame,
    weights: dict[str, float],
    scoring: ScoringSettings,
    families: dict[str, str],
) -> pd.DataFrame:
    """One row per property of `base` (property_id, registered, area_m2, norm_m2: the m² per
    person of its living-space norm in force, NULL for none) with score, rank,
    fired indicators and a one-sentence explanation; rank 1 = most suspicious.

    The score sums the property hits' `contributions` (evidence families discounted), so it
    equals the sum of the evidence rows' scores plus the tie-break term. Set-based in an
    in-memory DuckDB: explanations list the fired indicators' sentences, strongest first.
    """
    frame = pd.DataFrame({"entity_id": pd.Series(dtype=str), "indicator_id": pd.Series(dtype=str),
                          "evidence": pd.Series(dtype=str), "contrib": pd.Series(dtype=float)})
    if len(hits):
        prop = hits[hits["entity_type"] == "property"]
        frame = prop[["entity_id", "indicator_id", "evidence"]].astype(str).assign(
            contrib=contributions(prop, weights, families, scoring.family_discount)
        ).dropna(subset=["contrib"])
    con = duckdb.connect()
    try:
        con.register("zw_base", base[["property_id", "registered", "area_m2", "norm_m2"]])
        con.register("zw_hits", frame)
        out = con.execute(SCORE_SQL, {"tiebreak": scoring.tiebreak_weight}).df()
    finally:
        con.close()
    out["rank"] = out["rank"].astype("int64")
    return out[PROPERTY_SCORE_COLUMNS]
