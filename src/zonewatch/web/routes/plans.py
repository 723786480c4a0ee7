"""Inspection plans: list, one plan per team and day (printable), and plans from a selection."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.inspections.planner import (
    Capacity,
    build_plan,
    get_plan_row,
    list_plans,
    plan_dict,
)
from zonewatch.inspections.progress import progress_of, with_outcomes
from zonewatch.service import audit
from zonewatch.service.deps import DB, PERMISSIONS, current_run, plan_teams
from zonewatch.store.models import User
from zonewatch.web.pages import Page, add_page, page_user, served_run

router = APIRouter()


class SelectedPlan(BaseModel):
    """The properties ticked in the inspection list and the plan's capacity."""

    property_ids: list[str] = Field(min_length=1)
    teams: int = Field(ge=1)
    days: int = Field(ge=1)
    visits_per_day: int = Field(ge=1)
    start_on: date
    weekends: bool = False


def plans_page(page: Page) -> dict[str, Any]:
    """Plans newest first (an inspector sees only the plans they work on)."""
    mine = page.user.username if page.user.role == "inspector" else None
    return {"plans": list_plans(page.db, mine), "can_plan": page.can("plan")}


def plan_page(page: Page) -> dict[str, Any]:
    """One plan, visits grouped by day and team; inspectors see only their own teams."""
    try:
        plan_id = int(page.params["plan_id"])
    except ValueError:
        raise ValueError(f"plan id must be a number, not {page.params['plan_id']!r}") from None
    plan = get_plan_row(page.db, plan_id)
    teams = plan_teams(plan, page.user.role, page.user.username)
    data = with_outcomes(page.db, plan_dict(plan, only_teams=teams))
    days: dict[str, dict[int, list[dict[str, Any]]]] = {}
    for visit in sorted(data["visits"], key=lambda v: (v["visit_on"], v["team"], v["seq"])):
        days.setdefault(visit["visit_on"], {}).setdefault(visit["team"], []).append(visit)
    data["schedule"] = [{"visit_on": d, "teams": [{"team": t, "visits": v}
                                                  for t, v in sorted(by_team.items())]}
                        for d, by_team in days.items()]
    data["addresses"] = _addresses(page, [v["property_id"] for v in data["visits"]])
    data["can_record"] = page.can("record_outcome")
    data["team_progress"] = [{"team": team, **progress_of(v["outcome"] for v in data["visits"]
                                                           if v["team"] == team)}
                             for team in sorted({v["team"] for v in data["visits"]})]
    data["can_assign"] = page.can("plan")
    data["inspectors"] = inspector_names(page.db) if data["can_assign"] else []
    return data


def inspector_names(db: Session) -> list[str]:
    """Usernames of the active inspectors (whom a team can be assigned to)."""
    return list(db.scalars(select(User.username).where(User.role == "inspector",
                                                         User.active.is_(True))
                           .order_by(User.username)))


def _addresses(page: Page, property_ids: list[str]) -> dict[str, str]:
    """Addresses of the visited properties from the served run (inspectors need them)."""
    run = served_run(page.request)
    if run is None or not property_ids or not run.has_table("properties"):
        return {}
    rows = run.query("SELECT property_id, address FROM properties WHERE "
                    "list_contains(?, property_id)", [property_ids])
    return {r["property_id"]: r["address"] for r in rows}


add_page(router, "/plans", "plans.html", "read_plans", plans_page)
add_page(router, "/plans/{plan_id}", "plan.html", "read_plans", plan_page)


@router.post("/plans/selection", include_in_schema=False)
def create_from_selection(body: SelectedPlan, request: Request, db: DB) -> JSONResponse:
    """Plan exactly the ticked properties (the service's `build_plan`); returns `{"id": ...}`."""
    user = page_user(request, db)
    if user is None:
        return JSONResponse({"detail": "not logged in"}, status_code=401)
    if user.role not in PERMISSIONS["plan"]:
        return JSONResponse({"detail": f"role {user.role!r} may not plan"}, status_code=403)
    capacity = Capacity(body.teams, body.days, body.visits_per_day)
    plan = build_plan(db, current_run(request).path, capacity, body.start_on, user.username,
                      weekends=body.weekends, property_ids=body.property_ids)
    audit.record(db, user, "create", "inspection_plan", str(plan["plan_id"]),
                 {"visits": len(plan["visits"]), "from": "selection"})
    db.commit()
    return JSONResponse({"id": plan["plan_id"], **plan}, status_code=201)
