"""How far plans have got: each visit's outcome, a plan's done / left / violations, and the field
status of properties (planned, inspected) for the inspection list.

Everything is read from the store's plan visits and recorded outcomes, so a page shows an
outcome the moment it is recorded.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonewatch.store.models import InspectionOutcome, PlanVisit, TeamAssignment

OUTCOMES = ("violation", "no_violation", "no_access")


def visit_outcomes(session: Session, visit_ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The outcome recorded for each of `visit_ids` that has one."""
    ids = list(visit_ids)
    if not ids:
        return {}
    rows = session.scalars(select(InspectionOutcome).where(InspectionOutcome.visit_id.in_(ids)))
    return {o.visit_id: {"outcome": o.outcome, "inspected_on": o.inspected_on.isoformat(),
                         "recorded_by": o.recorded_by, "persons_found": o.persons_found,
                         "fictitious_count": o.fictitious_count, "brokering": o.brokering}
            for o in rows}


def progress_of(outcomes: Iterable[str | None]) -> dict[str, int]:
    """Visits, done, left and the count of each outcome, from one outcome (or None) per visit."""
    values = list(outcomes)
    counts = {name: sum(1 for v in values if v == name) for name in OUTCOMES}
    done = sum(counts.values())
    return {"visits": len(values), "done": done, "left": len(values) - done, **counts}


def with_outcomes(session: Session, plan: dict[str, Any]) -> dict[str, Any]:
    """A `plan_dict` with each visit's outcome (None while pending) and the plan's progress
    over the visits it holds."""
    found = visit_outcomes(session, (v["visit_id"] for v in plan["visits"]))
    for v in plan["visits"]:
        v["outcome"] = found.get(v["visit_id"], {}).get("outcome")
        v["result"] = found.get(v["visit_id"])
    plan["progress"] = progress_of(v["outcome"] for v in plan["visits"])
    return plan


def plans_progress(session: Session, plan_ids: Iterable[int],
                   username: str | None = None) -> dict[int, dict[str, int]]:
    """Progress of each plan of `plan_ids` in one query (plans without visits are absent),
    over the visits of `username`'s teams only when given (what an inspector sees)."""
    ids = list(plan_ids)
    if not ids:
        return {}
    stmt = (select(PlanVisit.plan_id, InspectionOutcome.outcome, func.count())
            .outerjoin(InspectionOutcome, InspectionOutcome.visit_id == PlanVisit.id)
            .where(PlanVisit.plan_id.in_(ids)))
    if username is not None:
        stmt = stmt.join(TeamAssignment, (TeamAssignment.plan_id == PlanVisit.plan_id)
                         & (TeamAssignment.team == PlanVisit.team)
                         & (TeamAssignment.username == username))
    rows = session.execute(stmt.group_by(PlanVisit.plan_id, InspectionOutcome.outcome))
    per_plan: dict[int, list[str | None]] = {}
    for plan_id, outcome, n in rows:
        per_plan.setdefault(plan_id, []).extend([outcome] * n)
    return {plan_id: progress_of(values) for plan_id, values in per_plan.items()}


def field_status(session: Session, property_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Each property's field status: `planned` (a visit still waiting for its outcome, on or
    after the latest inspection) or `inspected`, with the latest recorded outcome, its date and
    plan (`outcome` None when never inspected)."""
    ids = list(dict.fromkeys(property_ids))
    if not ids:
        return {}
    status: dict[str, dict[str, Any]] = {}
    outcomes = session.execute(
        select(InspectionOutcome.property_id, InspectionOutcome.outcome,
               InspectionOutcome.inspected_on, PlanVisit.plan_id)
        .outerjoin(PlanVisit, PlanVisit.id == InspectionOutcome.visit_id)
        .where(InspectionOutcome.property_id.in_(ids))
        .order_by(InspectionOutcome.inspected_on, InspectionOutcome.id))
    for pid, outcome, on, plan_id in outcomes:
        status[pid] = {"status": "inspected", "outcome": outcome, "inspected_on": on.isoformat(),
                       "plan_id": plan_id}
    pending = session.execute(
        select(PlanVisit.property_id, PlanVisit.plan_id, PlanVisit.visit_on)
        .outerjoin(InspectionOutcome, InspectionOutcome.visit_id == PlanVisit.id)
        .where(PlanVisit.property_id.in_(ids), InspectionOutcome.id.is_(None))
        .order_by(PlanVisit.visit_on.desc()))
    for pid, plan_id, on in pending:
        last = status.get(pid)
        if last is None or (last["status"] == "inspected"
                            and last["inspected_on"] <= on.isoformat()):
            status[pid] = {"outcome": None, "inspected_on": None, **(last or {}),
                           "status": "planned", "plan_id": plan_id, "visit_on": on.isoformat()}
    return status
