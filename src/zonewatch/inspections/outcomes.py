"""Recording what inspections found and exporting it in the contract's `inspections` format.

`zonewatch analyze EXTRACT --inspections FILE` reads the export to calibrate the next run:
that is how field work feeds back into the ranking.
"""

from __future__ import annotations

import csv
import uuid
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.inspections.planfile import DESIGN_COLUMNS, visit_design
from zonewatch.store.errors import Conflict, Invalid, NotFound
from zonewatch.store.models import OUTCOMES, InspectionOutcome, PlanVisit

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
) -> dict[str, Any]:
    """Store one outcome; with `visit_id` the property comes from (and must match) the visit."""
    if outcome not in OUTCOMES:
        raise Invalid(f"outcome: {outcome!r} is not one of {', '.join(OUTCOMES)}")
    if isinstance(inspected_on, str):
        try:
            inspected_on = date.fromisoformat(inspected_on)
        except ValueError as exc:
            raise Invalid(f"inspected_on: {inspected_on!r} is not a YYYY-MM-DD date") from exc
    if visit_id is not None:
        visit = session.get(PlanVisit, visit_id)
        if visit is None:
            raise NotFound(f"no planned visit {visit_id}")
        if property_id and property_id != visit.property_id:
            raise Invalid(f"visit {visit_id} is to {visit.property_id}, not {property_id}")
        property_id = visit.property_id
    if not property_id:
        raise Invalid("property_id: give the property inspected (or a visit_id)")
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
