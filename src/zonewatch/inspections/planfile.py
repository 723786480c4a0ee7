"""A plan as rows (team, day, route order) and as a CSV file, needing only the run directory.

`zonewatch plan RUN --out PLAN.csv` writes these rows without a store or server; stored plans
hold the same rows as `plan_visits`. `selection` and `inclusion_probability` travel on with
each visit into the inspections export, where `zonewatch.inspections.estimate` uses them.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.inspections.routing import Stop
from zonewatch.store.models import PlanVisit

PLAN_COLUMNS = ("plan_id", "property_id", "team", "day", "visit_on", "seq", "selection",
                "inclusion_probability", "stratum", "rank", "score", "district", "building_id",
                "address", "lat", "lon")


def schedule(stops: list[Stop], teams: int, visits_per_day: int,
             dates: list[date]) -> list[dict[str, Any]]:
    """Cut the routed stops into team-days: visit i goes to day i // (v x teams) + 1."""
    rows = []
    for i, s in enumerate(stops):
        chunk, seq = divmod(i, visits_per_day)
        day, team = divmod(chunk, teams)
        rows.append({
            "property_id": s.property_id, "team": team + 1, "day": day + 1,
            "visit_on": dates[day], "seq": seq + 1, "selection": s.selection,
            "inclusion_probability": s.inclusion_probability, "stratum": s.stratum,
            "rank": s.rank, "score": s.score, "district": s.district,
            "building_id": s.building_id, "address": s.address, "lat": s.lat, "lon": s.lon,
        })
    return rows


def plan_key(run_path: Path, start: date, seed: int | None, n: int) -> str:
    """A stable id for a plan that lives only in a file (CSV plans have no store id)."""
    raw = f"{run_path.resolve()}|{start.isoformat()}|{seed}|{n}"
    return "csv-" + hashlib.sha256(raw.encode()).hexdigest()[:10]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # exact: inclusion probabilities must round-trip
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def write_plan_csv(out: Path, plan_id: str, rows: list[dict[str, Any]]) -> int:
    """Write the visits as PLAN_COLUMNS; return the row count."""
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(PLAN_COLUMNS)
        for r in rows:
            writer.writerow([_cell(plan_id if c == "plan_id" else r.get(c)) for c in PLAN_COLUMNS])
    return len(rows)


DESIGN_COLUMNS = ("selection", "inclusion_probability", "plan_id")  # extra export columns


def visit_design(session: Session, visit_ids: set[int]) -> dict[int, tuple[Any, Any, Any]]:
    """(selection, inclusion_probability, plan_id) of stored visits, by visit id."""
    if not visit_ids:
        return {}
    rows = session.execute(
        select(PlanVisit.id, PlanVisit.selection, PlanVisit.inclusion_probability,
               PlanVisit.plan_id).where(PlanVisit.id.in_(visit_ids)))
    return {r[0]: (r[1], r[2], r[3]) for r in rows}
