"""Answering a plan from a generated city's labels, as truthful inspectors would.

For benchmarks and golden tests only: `zonewatch generate` writes the truth beside the extract
(labels/property_labels.csv). A visit finds a violation exactly when the property is labelled
fraud. Registrants are the registrations active on the day; at a fraud property the fictitious
ones are those who are not its owners (a nominee ring's owner lives in his flat), elsewhere 0.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pandas as pd


def _table(extract: Path, name: str) -> str:
    for suffix in (".parquet", ".csv"):
        if (extract / f"{name}{suffix}").is_file():
            path = str(extract / f"{name}{suffix}").replace("'", "''")
            return (f"read_parquet('{path}')" if suffix == ".parquet"
                    else f"read_csv('{path}', all_varchar=true)")
    raise FileNotFoundError(f"{extract} has no {name}.csv or {name}.parquet")


def truth_table(extract: Path, labels: Path, on: date) -> pd.DataFrame:
    """Per property of the extract: is_fraud, registrants and fictitious registrants on `on`."""
    day = on.isoformat()
    con = duckdb.connect()
    try:
        return con.execute(f"""
            WITH fraud AS (
                SELECT property_id FROM {_table(labels, 'property_labels')}
                WHERE lower(is_fraud) = 'true'),
            owners AS (SELECT DISTINCT property_id, owner_id FROM {_table(extract, 'ownerships')}),
            active AS (
                SELECT DISTINCT r.property_id, r.person_id FROM {_table(extract, 'registrations')} r
                WHERE r.start_date <= ? AND (r.end_date IS NULL OR r.end_date = ''
                                             OR r.end_date > ?)),
            counted AS (
                SELECT a.property_id, count(*) AS registered,
                       count(*) FILTER (WHERE o.owner_id IS NULL) AS strangers
                FROM active a LEFT JOIN owners o
                  ON o.property_id = a.property_id AND o.owner_id = a.person_id
                GROUP BY a.property_id)
            SELECT DISTINCT p.property_id, f.property_id IS NOT NULL AS is_fraud,
                   coalesce(c.registered, 0) AS registered,
                   CASE WHEN f.property_id IS NULL THEN 0 ELSE coalesce(c.strangers, 0) END
                       AS fictitious
            FROM {_table(extract, 'properties')} p
            LEFT JOIN fraud f USING (property_id) LEFT JOIN counted c USING (property_id)
            ORDER BY p.property_id""", [day, day]).df()
    finally:
        con.close()


def answer(plan: pd.DataFrame, truth: pd.DataFrame, inspected_on: str | None = None,
           prefix: str = "LBL") -> pd.DataFrame:
    """The plan's visits answered from `truth`, in the inspections format plus the design
    columns; `inspected_on` defaults to each visit's day."""
    t = truth.set_index(truth["property_id"].astype(str))
    pid = plan["property_id"].astype(str)
    fraud = pid.map(t["is_fraud"]).fillna(False).astype(bool)
    fict = pid.map(t["fictitious"]).fillna(0).astype(int)
    reg = pid.map(t["registered"]).fillna(0).astype(int)
    plan_ids = (plan["plan_id"].astype(str) if "plan_id" in plan.columns
                else pd.Series("", index=plan.index))
    return pd.DataFrame({
        "inspection_id": [f"{prefix}-{p}-{i}" for i, p in zip(plan_ids, pid, strict=True)],
        "property_id": pid,
        "inspected_on": (inspected_on if inspected_on is not None
                         else plan["visit_on"].astype(str)),
        "outcome": fraud.map({True: "violation", False: "no_violation"}),
        "persons_found": (reg - fict).clip(lower=0),
        "fictitious_count": fict,
        "brokering": "",
        "notes": "",
        "selection": plan["selection"].astype(str),
        "inclusion_probability": plan["inclusion_probability"],
        "plan_id": plan_ids,
    }).reset_index(drop=True)


def write_answers(plan_csv: Path, truth: pd.DataFrame, out: Path) -> pd.DataFrame:
    """Answer the plan in `plan_csv` and write the inspections CSV to `out`."""
    plan = pd.read_csv(plan_csv, dtype={"property_id": str, "plan_id": str})
    answers = answer(plan, truth)
    answers.to_csv(out, index=False)
    return answers
