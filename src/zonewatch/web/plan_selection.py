"""Thin adapter: an inspection plan from properties the analyst ticked in the inspection list.

The inspections room plans from the top of the ranking (`build_plan`); the list page lets
analysts pick rows instead. Until `build_plan` accepts a selection (docs/web.md, "Needs from
service"), this builds the same kind of plan — same routing (`order_stops`), same tables —
from the chosen ids only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from zonewatch.inspections.planner import Capacity, plan_dict, working_days
from zonewatch.inspections.routing import Stop, order_stops
from zonewatch.store.errors import Invalid
from zonewatch.store.models import InspectionPlan, PlanVisit
from zonewatch.store.rundata import RunData

MAX_SELECTION = 5000


def selected_stops(run: RunData, property_ids: list[str]) -> list[Stop]:
    """The chosen properties with rank, score and place; unknown ids raise Invalid."""
    wanted = list(dict.fromkeys(str(p) for p in property_ids))
    if not wanted:
        raise Invalid("select at least one property for the plan")
    if len(wanted) > MAX_SELECTION:
        raise Invalid(f"at most {MAX_SELECTION} properties per plan, got {len(wanted)}")
    ranked = run.ranked("properties")
    ranked = ranked[ranked["property_id"].isin(wanted)]
    missing = sorted(set(wanted) - set(ranked["property_id"]))
    if missing:
        raise Invalid(f"not in the ranked list of this run: {', '.join(missing[:10])}")
    places: dict[str, dict[str, Any]] = {}
    if run.has_table("properties"):
        marks = ",".join("?" * len(wanted))
        for row in run.query("SELECT * FROM properties WHERE property_id IN "
                             f"({marks})", wanted):
            places[row["property_id"]] = row
    return [Stop(pid, int(rank), float(score), places.get(pid, {}).get("district"),
                 places.get(pid, {}).get("building_id"), places.get(pid, {}).get("lat"),
                 places.get(pid, {}).get("lon"), places.get(pid, {}).get("address"))
            for pid, rank, score in zip(ranked["property_id"], ranked["rank"], ranked["score"],
                                        strict=True)]


def plan_selection(session: Session, run: RunData, property_ids: list[str], capacity: Capacity,
                   start: date, who: str, weekends: bool = False) -> dict[str, Any]:
    """Store a plan visiting exactly `property_ids`, routed, cut into team-days."""
    stops = order_stops(selected_stops(run, property_ids))
    if len(stops) > capacity.total:
        raise Invalid(f"{len(stops)} properties selected but the plan holds "
                      f"{capacity.total} visits; add teams, days or visits per day")
    dates = working_days(start, capacity.days, weekends)
    plan = InspectionPlan(run_path=str(run.path), created_by=who, teams=capacity.teams,
                          days=capacity.days, visits_per_day=capacity.visits_per_day,
                          start_on=start,
                          created_at=datetime.utcnow().replace(microsecond=0))  # noqa: DTZ003
    for i, stop in enumerate(stops):
        chunk, seq = divmod(i, capacity.visits_per_day)
        day, team = divmod(chunk, capacity.teams)
        plan.visits.append(PlanVisit(
            team=team + 1, day=day + 1, visit_on=dates[day], seq=seq + 1,
            property_id=stop.property_id, district=stop.district, building_id=stop.building_id,
            lat=stop.lat, lon=stop.lon, address=stop.address, rank=stop.rank,
            score=stop.score))
    session.add(plan)
    session.flush()
    return plan_dict(plan)
