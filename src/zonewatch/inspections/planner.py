"""Building an inspection plan from a run: top of the ranking plus exploration, routed, stored.

Capacity is teams x days x visits per day. The most suspicious properties fill it, except a
share kept for exploration drawn with known probabilities (`design`); properties already in an
open plan or inspected within `skip_days` are left out (`choose`). Visits are
ordered district by district (most urgent district first) into routes, and the sequence is cut
into team-days, so the earliest days carry the most suspicious places and a team-day stays in
one district wherever the district has enough visits to fill it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.errors import Invalid, NotFound
from zonewatch.inspections.choose import (
    choose_stops,
    planned_or_inspected,
    read_inspections,
    recently_inspected,
    run_inspections,
)
from zonewatch.inspections.design import Design
from zonewatch.inspections.planfile import plan_key, schedule, write_plan_csv
from zonewatch.inspections.progress import plans_progress, progress_of, with_outcomes
from zonewatch.inspections.routing import Stop, order_stops
from zonewatch.inspections.selection import selected_stops
from zonewatch.inspections.settings import DEFAULTS
from zonewatch.rundir import RunDir, open_run
from zonewatch.store.models import InspectionPlan, PlanVisit, TeamAssignment

MAX_CAPACITY = 100_000


@dataclass(frozen=True)
class Capacity:
    """Teams, working days and visits per team per day."""

    teams: int
    days: int
    visits_per_day: int

    def __post_init__(self) -> None:
        for name in ("teams", "days", "visits_per_day"):
            if getattr(self, name) < 1:
                raise Invalid(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.total > MAX_CAPACITY:
            raise Invalid(f"capacity {self.total} exceeds {MAX_CAPACITY} visits")

    @property
    def total(self) -> int:
        """Visits the plan can hold."""
        return self.teams * self.days * self.visits_per_day


def working_days(start: date, n: int, weekends: bool = False) -> list[date]:
    """`n` visit dates from `start`, skipping Saturdays and Sundays unless `weekends`."""
    days, d = [], start
    while len(days) < n:
        if weekends or d.weekday() < 5:
            days.append(d)
        d += timedelta(days=1)
    return days


def plan_stops(
    run: RunDir,
    capacity: Capacity,
    *,
    min_score: float = 0.0,
    property_ids: list[str] | None = None,
    design: Design | None = None,
    skip: set[str] | frozenset[str] = frozenset(),
    seed: int | None = None,
) -> list[Stop]:
    """The routed stops of a plan: ticked `property_ids` (all targets, nothing skipped), or
    targets + exploration among the run's properties outside `skip`."""
    try:
        if property_ids is not None:
            stops = order_stops(selected_stops(run, property_ids))
        else:
            stops = order_stops(choose_stops(run, capacity.total, min_score=min_score,
                                             design=design, skip=skip, seed=seed))
    except NotFound as exc:
        raise Invalid(f"cannot plan from {run.path}: {exc}") from exc
    if not stops:
        raise Invalid(f"no property in {run.path} has a score above {min_score}"
                      + (f" outside the {len(skip)} skipped" if skip else ""))
    if len(stops) > capacity.total:
        raise Invalid(f"{len(stops)} properties selected but the plan holds {capacity.total} "
                      "visits; add teams, days or visits per day")
    return stops


def build_plan(
    session: Session,
    run_dir: str | Path,
    capacity: Capacity,
    start: date,
    who: str,
    *,
    weekends: bool = False,
    inspectors: dict[int, list[str]] | None = None,
    min_score: float = 0.0,
    property_ids: list[str] | None = None,
    design: Design | None = None,
    skip_days: int = int(DEFAULTS["skip_days"]),
    seed: int | None = None,
    extra_inspections: tuple[str | Path, ...] = (),
) -> dict[str, Any]:
    """Create and store a plan; `inspectors` maps team number (1..teams) to usernames.

    With `property_ids` the plan visits exactly those properties (ticked rows; `min_score`
    is ignored) and must fit the capacity; without, the ranking's top fills the capacity
    but for the `design`'s exploration share, skipping properties in an open plan or
    inspected (store or extract) within `skip_days` (0: skip nothing).
    """
    run = open_run(run_dir)
    skip: set[str] = set()
    if skip_days > 0 and property_ids is None:
        skip = planned_or_inspected(session, start, skip_days)
        skip |= _recent(run, start, skip_days, extra_inspections)
    stops = plan_stops(run, capacity, min_score=min_score, property_ids=property_ids,
                       design=design, skip=skip, seed=seed)
    dates = working_days(start, capacity.days, weekends)
    plan = InspectionPlan(
        run_path=str(run.path),
        created_at=datetime.utcnow().replace(microsecond=0),  # noqa: DTZ003
        created_by=who,
        teams=capacity.teams,
        days=capacity.days,
        visits_per_day=capacity.visits_per_day,
        start_on=start,
    )
    for row in schedule(stops, capacity.teams, capacity.visits_per_day, dates):
        plan.visits.append(PlanVisit(**row))
    for team, names in (inspectors or {}).items():
        if not 1 <= team <= capacity.teams:
            raise Invalid(f"team {team} does not exist; teams are 1..{capacity.teams}")
        for name in names:
            plan.assignments.append(TeamAssignment(team=team, username=name))
    session.add(plan)
    session.flush()
    return plan_dict(plan)


def _recent(run: RunDir, start: date, days: int, files: tuple[str | Path, ...]) -> set[str]:
    """Recently inspected properties of the extract and of the inspections `files`."""
    skip = recently_inspected(run_inspections(run), start, days)
    try:
        return skip | recently_inspected(read_inspections(files), start, days)
    except (OSError, ValueError, KeyError) as exc:
        raise Invalid(f"cannot read inspections {', '.join(map(str, files))}: {exc!r}") from exc


def plan_to_csv(
    run_dir: str | Path,
    capacity: Capacity,
    start: date,
    out: Path,
    *,
    weekends: bool = False,
    min_score: float = 0.0,
    design: Design | None = None,
    skip_days: int = int(DEFAULTS["skip_days"]),
    inspections: tuple[str | Path, ...] = (),
    seed: int | None = None,
) -> dict[str, Any]:
    """A plan from the run directory alone, written to `out` (no store, no server).

    Skipped: properties with a decided outcome within `skip_days` in the extract's
    inspections or the `inspections` files (e.g. earlier rounds' exports or answers).
    """
    run = open_run(run_dir)
    skip: set[str] = set()
    if skip_days > 0:
        skip = _recent(run, start, skip_days, inspections)
    stops = plan_stops(run, capacity, min_score=min_score, design=design, skip=skip, seed=seed)
    rows = schedule(stops, capacity.teams, capacity.visits_per_day,
                    working_days(start, capacity.days, weekends))
    plan_id = plan_key(run.path, start, seed, len(rows))
    write_plan_csv(out, plan_id, rows)
    return {"plan_id": plan_id, "capacity": capacity.total, "start_on": start.isoformat(),
            "skipped": len(skip), "visits": [{**r, "visit_on": r["visit_on"].isoformat()}
                                              for r in rows]}


def assign(session: Session, plan_id: int, team: int, username: str) -> dict[str, Any]:
    """Put an inspector on a team of a plan."""
    plan = get_plan_row(session, plan_id)
    if not 1 <= team <= plan.teams:
        raise Invalid(f"team {team} does not exist; teams are 1..{plan.teams}")
    if not any(a.team == team and a.username == username for a in plan.assignments):
        plan.assignments.append(TeamAssignment(team=team, username=username))
        session.flush()
    return plan_dict(plan)


def get_plan_row(session: Session, plan_id: int) -> InspectionPlan:
    """The stored plan, or NotFound."""
    plan = session.get(InspectionPlan, plan_id)
    if plan is None:
        raise NotFound(f"no inspection plan {plan_id}")
    return plan


def visit_dict(v: PlanVisit) -> dict[str, Any]:
    """One visit as a plain dict."""
    return {
        "visit_id": v.id,
        "team": v.team,
        "day": v.day,
        "visit_on": v.visit_on.isoformat(),
        "seq": v.seq,
        "property_id": v.property_id,
        "district": v.district,
        "building_id": v.building_id,
        "address": v.address,
        "lat": v.lat,
        "lon": v.lon,
        "rank": v.rank,
        "score": v.score,
        "selection": v.selection,
        "inclusion_probability": v.inclusion_probability,
        "stratum": v.stratum,
    }


def plan_dict(plan: InspectionPlan, only_teams: set[int] | None = None) -> dict[str, Any]:
    """A plan with its visits (only those of `only_teams` when given)."""
    visits = [x for x in plan.visits if only_teams is None or x.team in only_teams]
    return {
        "plan_id": plan.id,
        "run_path": plan.run_path,
        "created_at": plan.created_at.isoformat(),
        "created_by": plan.created_by,
        "teams": plan.teams,
        "days": plan.days,
        "visits_per_day": plan.visits_per_day,
        "start_on": plan.start_on.isoformat(),
        "capacity": plan.teams * plan.days * plan.visits_per_day,
        "assignments": [{"team": a.team, "username": a.username} for a in plan.assignments],
        "visits": [visit_dict(x) for x in visits],
    }


def list_plans(session: Session, username: str | None = None) -> list[dict[str, Any]]:
    """Plans newest first, without visits, with their progress; only those `username` works
    on when given (progress then counted over their own teams' visits)."""
    stmt = select(InspectionPlan).order_by(InspectionPlan.id.desc())
    if username:
        stmt = stmt.join(TeamAssignment).where(TeamAssignment.username == username).distinct()
    plans = list(session.scalars(stmt))
    progress = plans_progress(session, [p.id for p in plans], username or None)
    return [
        {k: v for k, v in plan_dict(p).items() if k != "visits"}
        | {"visits": len(p.visits), "progress": progress.get(p.id, progress_of([]))}
        for p in plans
    ]


def annotate_visits(session: Session, plan: dict[str, Any], run: RunDir | None) -> dict:
    """Add to each visit why it was chosen (indicators, explanation from the plan's run)
    and the outcome recorded for it so far (None while pending), and the plan's progress."""
    reasons: dict[str, tuple[Any, Any]] = {}
    if run is None and Path(plan["run_path"]).is_dir():
        run = open_run(plan["run_path"])
    if run is not None:
        try:
            ranked = run.ranked("properties")
            wanted = ranked[ranked["property_id"].isin({v["property_id"] for v in plan["visits"]})]
            reasons = {
                str(p): (i, e)
                for p, i, e in zip(
                    wanted["property_id"], wanted["indicators"], wanted["explanation"], strict=True
                )
            }
        except NotFound:
            reasons = {}
    for v in plan["visits"]:
        indicators, explanation = reasons.get(v["property_id"], (None, None))
        v["indicators"] = indicators if isinstance(indicators, str) else None
        v["explanation"] = explanation if isinstance(explanation, str) else None
    return with_outcomes(session, plan)
