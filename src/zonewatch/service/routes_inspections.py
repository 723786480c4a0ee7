"""Inspection plans, visits and outcomes over HTTP; inspectors see and record only their own."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi import Path as PathParam
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from zonewatch.inspections.access import visit_ids_of
from zonewatch.inspections.outcomes import (
    export_outcomes,
    list_outcomes,
    record_outcome,
    run_checks,
)
from zonewatch.inspections.planner import (
    Capacity,
    annotate_visits,
    assign,
    build_plan,
    get_plan_row,
    list_plans,
    plan_dict,
)
from zonewatch.service import audit
from zonewatch.service.auth import Principal
from zonewatch.service.deps import DB, allowed, current_run, plan_teams, service_state
from zonewatch.store.audit import lock_for_write
from zonewatch.store.errors import Invalid

router = APIRouter(tags=["inspections"])
Planner = Annotated[Principal, Depends(allowed("plan"))]
PlanReader = Annotated[Principal, Depends(allowed("read_plans"))]
Recorder = Annotated[Principal, Depends(allowed("record_outcome"))]
Reader = Annotated[Principal, Depends(allowed("read_lists"))]
MAX_TEAMS = 1000


MAX_ID = 2**31 - 1  # ids and counts fit the stores' INTEGER
PlanId = Annotated[int, PathParam(ge=1, le=MAX_ID)]


def _teams(raw: dict[str, list[str]]) -> dict[int, list[str]]:
    """`{"1": ["ivan"]}` -> `{1: ["ivan"]}`; Invalid (400) for a key that is no team number."""
    bad = [k for k in raw if not (k.isdigit() and 1 <= int(k) <= MAX_TEAMS)]
    if bad:
        raise Invalid(f"inspectors: {bad[0]!r} is not a team number 1..{MAX_TEAMS}")
    return {int(k): v for k, v in raw.items()}


class NewPlan(BaseModel):
    """Capacity and start of a plan over the served run."""

    teams: int = Field(ge=1, le=MAX_TEAMS)
    days: int = Field(ge=1, le=366)
    visits_per_day: int = Field(ge=1, le=1000)
    start: date
    weekends: bool = False
    min_score: float = 0.0
    inspectors: dict[str, list[str]] = Field(
        default_factory=dict, description='inspectors per team number, e.g. {"1": ["ivan"]}')
    property_ids: list[str] | None = Field(
        default=None, description="plan exactly these properties (ticked rows), not the top")
    revisit: bool = Field(
        default=False, description="do not skip properties planned or recently inspected")


class Assignment(BaseModel):
    """An inspector put on a team."""

    team: int = Field(ge=1, le=MAX_TEAMS)
    username: str = Field(min_length=1)


class NewOutcome(BaseModel):
    """What an inspection found (the contract's inspections row)."""

    visit_id: int | None = Field(default=None, ge=1, le=MAX_ID)
    property_id: str | None = None
    inspected_on: date
    outcome: str
    persons_found: int | None = Field(default=None, ge=0, le=MAX_ID)
    fictitious_count: int | None = Field(default=None, ge=0, le=MAX_ID)
    brokering: bool | None = None
    notes: str | None = None
    inspection_id: str | None = None


@router.get("/plans")
def plans(who: PlanReader, db: DB) -> list:
    """Plans newest first (an inspector sees only plans they work on)."""
    return list_plans(db, who.username if who.role == "inspector" else None)


@router.post("/plans", status_code=201)
def create_plan(body: NewPlan, request: Request, who: Planner, db: DB) -> dict:
    """Plan inspections of the served run's most suspicious properties within capacity, or
    of exactly `property_ids` (the rows an analyst ticked)."""
    run = current_run(request)
    result = build_plan(
        db,
        run.path,
        Capacity(body.teams, body.days, body.visits_per_day),
        body.start,
        who.username,
        weekends=body.weekends,
        inspectors=_teams(body.inspectors),
        min_score=body.min_score,
        property_ids=body.property_ids,
        **({"skip_days": 0} if body.revisit else {}),
    )
    detail = {"visits": len(result["visits"])}
    if body.property_ids is not None:
        detail["from"] = "selection"
    audit.record(db, who, "create", "inspection_plan", str(result["plan_id"]), detail)
    db.commit()
    return result


@router.get("/plans/{plan_id}")
def read_plan(plan_id: PlanId, request: Request, who: PlanReader, db: DB) -> dict:
    """A plan with its visits, why each was chosen and its outcome so far (an inspector sees
    only their own team's visits)."""
    plan = get_plan_row(db, plan_id)
    teams = plan_teams(plan, who.role, who.username)
    served = service_state(request).run
    run = served if served is not None and str(served.path.resolve()) == plan.run_path else None
    return annotate_visits(db, plan_dict(plan, only_teams=teams), run)


@router.post("/plans/{plan_id}/assign")
def assign_inspector(plan_id: PlanId, body: Assignment, who: Planner, db: DB) -> dict:
    """Put an inspector on a team of the plan."""
    result = assign(db, plan_id, body.team, body.username)
    audit.record(db, who, "assign", "inspection_plan", str(plan_id), body.model_dump())
    db.commit()
    return result


@router.get("/outcomes")
def outcomes(who: PlanReader, db: DB, property_id: str | None = None) -> list:
    """Recorded outcomes (an inspector sees those of their own visits)."""
    visits = visit_ids_of(db, who.username) if who.role == "inspector" else None
    return list_outcomes(db, visit_ids=visits, property_id=property_id)


@router.post("/outcomes", status_code=201)
def add_outcome(body: NewOutcome, request: Request, who: Recorder, db: DB) -> dict:
    """Record an outcome; an inspector must name one of their own visits. Refused: an
    unknown visit (404) or property of the served run (404), a second outcome for a visit
    (409), a date in the future or before the visit's plan starts (400)."""
    lock_for_write(db)  # the checks below read, then the outcome and its audit row write
    if who.role == "inspector":
        if body.visit_id is None:
            raise HTTPException(403, "inspectors record outcomes for their visits: give visit_id")
        if body.visit_id not in visit_ids_of(db, who.username):
            raise HTTPException(403, f"visit {body.visit_id} is not one of yours")
    served = service_state(request).run
    checks = run_checks(served) if served is not None else {}
    row = record_outcome(db, who.username, **body.model_dump(), **checks)
    audit.record(
        db,
        who,
        "create",
        "inspection_outcome",
        row["inspection_id"],
        {"property_id": row["property_id"], "outcome": row["outcome"]},
    )
    db.commit()
    return row


@router.get("/outcomes/export", response_class=PlainTextResponse,
            responses={200: {"content": {"text/csv": {}}, "description": "inspections CSV"}})
def export(who: Reader, db: DB) -> PlainTextResponse:
    """All outcomes as the contract's inspections CSV (for `zonewatch analyze --inspections`)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "inspections.csv"
        rows = export_outcomes(db, path)
        text = path.read_text(encoding="utf-8")
    audit.record(db, who, "export", "inspection_outcomes", "csv", {"rows": rows})
    db.commit()
    return PlainTextResponse(text, media_type="text/csv")
