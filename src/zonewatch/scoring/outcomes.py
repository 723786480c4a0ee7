"""What inspections say directly, as computed red flags beside the SQL indicators.

- `inspection_violation`: the property's own latest visit found a violation (or fictitious
  registrants, or brokering): the strongest evidence there is, so it goes to the top while
  people are still registered there.
- `inspection_clean`: its latest visit found nothing: the property's other evidence is
  mostly cancelled (`clean_factor`), in proportion to the share of today's registrants who
  were already there on the day of the visit (newcomers since were not seen).
- `owner_violation`: other flats of the same current owner were found in violation: brokers
  and nominee owners hold several flats. Only for a flat that has evidence of its own and
  where the owner's family is not registered (the owner's own home is not what he sells). A
  feature the calibration learns a weight for; the property's own outcome never feeds it.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zonewatch.engine.base import Backend
from zonewatch.indicators.settings import CalibrationSettings

OWN_IDS = ("inspection_violation", "inspection_clean")
OWNER_ID = "owner_violation"
HIT_FRAME = ["entity_type", "entity_id", "indicator_id", "value", "threshold", "strength",
             "evidence", "own_strength"]

FRESHNESS_SQL = """
SELECT o.property_id,
       count(r.person_id) AS registered,
       count(CASE WHEN r.start_date <= o.inspected_on THEN 1 END) AS seen
FROM zw_outcomes o LEFT JOIN zw_current_reg r ON r.property_id = o.property_id
GROUP BY o.property_id
"""

OWNER_SQL = """
WITH own AS (SELECT DISTINCT property_id, owner_id FROM zw_current_owner),
tally AS (
  SELECT a.property_id, count(DISTINCT CASE WHEN o.y = 1 THEN b.property_id END) AS bad,
         count(DISTINCT CASE WHEN o.y = 0 THEN b.property_id END) AS clean
  FROM own a JOIN own b ON b.owner_id = a.owner_id AND b.property_id <> a.property_id
  JOIN zw_outcomes o ON o.property_id = b.property_id
  GROUP BY a.property_id
)
SELECT t.property_id, t.bad, t.clean FROM tally t
JOIN zw_property_base b ON b.property_id = t.property_id
WHERE t.bad > 0 AND b.registered > 0 AND coalesce(b.exempt, 0) = 0
"""


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=HIT_FRAME).astype({"strength": float})


def _with_outcomes(backend: Backend, outcomes: pd.DataFrame, sql: str) -> pd.DataFrame:
    """Run `sql` on the engine with `outcomes` as table zw_outcomes (beside zw_* tables)."""
    backend.register_table("zw_outcomes", outcomes)
    return backend.fetch(sql)


def owner_hits(backend: Backend, outcomes: pd.DataFrame,
               flagged: set[str]) -> pd.DataFrame:
    """`owner_violation` hits on `flagged` properties: strength = other flats of the owner
    in violation / (those and the owner's other flats found clean, plus one)."""
    if not len(outcomes):
        return _frame([])
    tally = _with_outcomes(backend, outcomes[["property_id", "y"]], OWNER_SQL)
    rows = []
    for t in tally[tally["property_id"].astype(str).isin(flagged)].itertuples(index=False):
        strength = t.bad / (t.bad + t.clean + 1.0)
        rows.append({"entity_type": "property", "entity_id": str(t.property_id),
                     "indicator_id": OWNER_ID, "value": int(t.bad), "threshold": 1,
                     "strength": strength, "own_strength": strength,
                     "evidence": f"the owner's other flats: {t.bad} found in violation, "
                                 f"{t.clean} found clean by inspections"})
    return _frame(rows)


def own_outcome_hits(backend: Backend, outcomes: pd.DataFrame, scores: pd.Series,
                     flagged: set[str], settings: CalibrationSettings) -> pd.DataFrame:
    """`inspection_violation` hits for inspected properties found in violation and
    `inspection_clean` for `flagged` ones found clean; `scores` (by property_id) are their
    scores before their own outcome. Strengths are set so that weight x strength is the
    intended contribution (weights: `own_outcome_weights`)."""
    if not len(outcomes):
        return _frame([])
    frame = outcomes[["property_id", "inspected_on", "y"]].copy()
    frame["inspected_on"] = pd.to_datetime(frame["inspected_on"]).dt.date
    fresh = _with_outcomes(backend, frame, FRESHNESS_SQL).set_index("property_id")
    factor = settings.clean_factor
    rows = []
    for o in frame.itertuples(index=False):
        pid = str(o.property_id)
        if pid not in fresh.index or pid not in scores.index:
            continue
        now, seen = int(fresh.at[pid, "registered"]), int(fresh.at[pid, "seen"])
        day = o.inspected_on.isoformat() if pd.notna(o.inspected_on) else "an unknown date"
        if o.y == 1:
            strength = 1.0 if now else 0.5
            text = f"inspected on {day}: violation found; {now} registered now"
            ind = "inspection_violation"
        elif pid not in flagged:
            continue  # nothing to cancel: a clean visit to a flat nobody flagged says nothing new
        else:
            share = seen / now if now else 1.0
            strength = round(max(float(scores[pid]), 0.0) * factor * share, 6)
            text = (f"inspected on {day}: no violation found; {seen} of {now} registered now "
                    "were there then")
            ind = "inspection_clean"
        rows.append({"entity_type": "property", "entity_id": pid, "indicator_id": ind,
                     "value": now, "threshold": seen, "strength": strength,
                     "own_strength": strength, "evidence": text})
    return _frame(rows)


def own_outcome_weights(settings: CalibrationSettings) -> dict[str, float]:
    """Fixed weights of the own-outcome flags (never calibrated: they are the outcomes)."""
    return {"inspection_violation": settings.violation_weight,
            "inspection_clean": -1.0}
