"""Recording what inspections found and exporting it in the contract's `inspections` format.

`zonewatch analyze EXTRACT --inspections FILE` reads the export to calibrate the next run:
that is how field work feeds back into the ranking.
"""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.errors import Conflict, Invalid, NotFound
from zonewatch.inspections.planfile import DESIGN_COLUMNS, visit_design
from zonewatch.rundir import RunDir, open_run
from zonewatch.store.models import (
    OUTCOMES,
    AnalysisRun,
    InspectionOutcome,
    InspectionPlan,
    PlanVisit,
)

EXPORT_COLUMNS = (
    "inspection_id",
    "property_id",
    "inspected_on",
    "outcome",
    "persons_found",
    "fictitious_count",
    "brokering",
    "notes",
)


FUTURE_SLACK_DAYS = 1  # an inspection may be dated at most this far after today (time zones)
MAX_AGE_DAYS = 366  # without a visit: at most this long before the run's as-of date


def _when(raw: date | str) -> date:
    if isinstance(raw, str):
        try:
            return date.fromisoformat(raw)
        except ValueError as exc:
            raise Invalid(f"inspected_on: {raw!r} is not a YYYY-MM-DD date") from exc
    return raw


def _check_dates(
    inspected_on: date, today: date, plan: InspectionPlan | None, as_of: date | None
) -> None:
    """Refuse dates in the future (beyond the slack) and before the plan (or long before as-of)."""
    latest = today + timedelta(days=FUTURE_SLACK_DAYS)
    if inspected_on > latest:
        raise Invalid(f"inspected_on: {inspected_on} is in the future (latest {latest})")
    if plan is not None and inspected_on < plan.start_on:
        raise Invalid(
            f"inspected_on: {inspected_on} is before plan {plan.id} starts ({plan.start_on})"
        )
    if plan is None and as_of is not None and inspected_on < as_of - timedelta(MAX_AGE_DAYS):
        raise Invalid(
            f"inspected_on: {inspected_on} is more than {MAX_AGE_DAYS} days before the run's "
            f"as-of date {as_of}"
        )


def _count(name: str, value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise Invalid(f"{name}: must be a whole number >= 0, got {value!r}")
    return value


def record_outcome(
    session: Session,
    who: str,
    *,
    property_id: str | None = None,
    inspected_on: date | str,
    outcome: str,
    visit_id: int | None = None,
    persons_found: int | None = None,
    fictitious_count: int | None = None,
    brokering: bool | None = None,
    notes: str | None = None,
    inspection_id: str | None = None,
    known_property: Callable[[str], bool] | None = None,
    as_of: date | None = None,
    today: date | None = None,
) -> dict[str, Any]:
    """Store one outcome; with `visit_id` the property comes from (and must match) the visit.

    Refused (Invalid/NotFound/Conflict, nothing written): an unknown visit, a property that
    `known_property` (the run's properties) does not know, a second outcome for a visit, a
    date after `today` + FUTURE_SLACK_DAYS, before the visit's plan starts, or (without a
    visit) more than MAX_AGE_DAYS before the run's `as_of`.
    """
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    inspected_on = _when(inspected_on)
    plan = None
    if visit_id is not None:
        visit = session.get(PlanVisit, visit_id)
        if visit is None:
            raise NotFound(f"no planned visit {visit_id}")
        if property_id and property_id != visit.property_id:
            raise Invalid(f"visit {visit_id} is to {visit.property_id}, not {property_id}")
        property_id = visit.property_id
        plan = visit.plan
        done = session.scalar(
            select(InspectionOutcome.inspection_id).where(InspectionOutcome.visit_id == visit_id)
        )
        if done is not None:
            raise Conflict(f"visit {visit_id} already has an outcome ({done})")
    if not property_id:
        raise Invalid("property_id: give the property inspected (or a visit_id)")
    if visit_id is None and known_property is not None and not known_property(property_id):
        raise NotFound(f"property_id: no property {property_id!r} in the run")
    _check_dates(inspected_on, today or date.today(), plan, as_of)
    found, fictitious = (
        _count("persons_found", persons_found),
        _count("fictitious_count", fictitious_count),
    )
    if outcome == "no_access" and (found or fictitious):
        raise Invalid("no_access: nobody was met, so persons_found/fictitious_count stay empty")
    if brokering is not None and not isinstance(brokering, bool):
        raise Invalid("brokering: must be true, false or empty")
    inspection_id = inspection_id or f"INS-{uuid.uuid4().hex[:12]}"
    taken = session.scalar(
        select(InspectionOutcome.id).where(InspectionOutcome.inspection_id == inspection_id)
    )
    if taken is not None:
        raise Conflict(f"inspection {inspection_id} is already recorded")
    row = InspectionOutcome(
        inspection_id=inspection_id,
        visit_id=visit_id,
        property_id=property_id,
        inspected_on=inspected_on,
        outcome=outcome,
        persons_found=found,
        fictitious_count=fictitious,
        brokering=brokering,
        notes=notes or None,
        recorded_by=who,
        recorded_at=datetime.utcnow().replace(microsecond=0),  # noqa: DTZ003
    )
    session.add(row)
    session.flush()
    return outcome_dict(row)


def outcome_dict(o: InspectionOutcome) -> dict[str, Any]:
    """One outcome as a plain dict."""
    return {
        "inspection_id": o.inspection_id,
        "visit_id": o.visit_id,
        "property_id": o.property_id,
        "inspected_on": o.inspected_on.isoformat(),
        "outcome": o.outcome,
        "persons_found": o.persons_found,
        "fictitious_count": o.fictitious_count,
        "brokering": o.brokering,
        "notes": o.notes,
        "recorded_by": o.recorded_by,
        "recorded_at": o.recorded_at.isoformat(),
    }


def list_outcomes(
    session: Session, *, visit_ids: set[int] | None = None, property_id: str | None = None
) -> list[dict[str, Any]]:
    """Outcomes oldest first; restricted to `visit_ids` or one property when given."""
    stmt = select(InspectionOutcome).order_by(InspectionOutcome.inspected_on, InspectionOutcome.id)
    if property_id:
        stmt = stmt.where(InspectionOutcome.property_id == property_id)
    if visit_ids is not None:
        stmt = stmt.where(InspectionOutcome.visit_id.in_(visit_ids or {-1}))
    return [outcome_dict(o) for o in session.scalars(stmt)]


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def export_outcomes(session: Session, out: Path) -> int:
    """Write every outcome as the contract's inspections CSV, plus the planned visit's
    DESIGN_COLUMNS (empty for outcomes without a visit); return the row count."""
    rows = list_outcomes(session)
    design = visit_design(session, {r["visit_id"] for r in rows if r["visit_id"] is not None})
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(EXPORT_COLUMNS + DESIGN_COLUMNS)
        for r in rows:
            extra = design.get(r["visit_id"], (None,) * len(DESIGN_COLUMNS))
            writer.writerow([_cell(r[c]) for c in EXPORT_COLUMNS] + [_cell(v) for v in extra])
    return len(rows)


def run_checks(run: RunDir) -> dict[str, Any]:
    """`known_property` and `as_of` of a run, for `record_outcome` (ids cached per run version)."""
    ids: set[str] = run.cached(
        "outcome_property_ids",
        lambda: set(run.ranked("properties")["property_id"].astype(str)),
    )
    return {"known_property": ids.__contains__, "as_of": run.as_of()}


def store_run_checks(session: Session, run_dir: Path | None) -> dict[str, Any]:
    """`run_checks` of `run_dir`, else of the newest run registered in the store, else none."""
    if run_dir is None:
        newest = session.scalars(
            select(AnalysisRun).order_by(AnalysisRun.as_of.desc(), AnalysisRun.id.desc()).limit(1)
        ).first()
        if newest is None or not Path(newest.path).is_dir():
            return {}
        run_dir = Path(newest.path)
    return run_checks(open_run(run_dir))
