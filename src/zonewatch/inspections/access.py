"""Which properties an inspector may see: those on visits of the teams they work in."""

from __future__ import annotations

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from zonewatch.store.models import PlanVisit, TeamAssignment


def _assigned_visits(username: str):  # noqa: ANN202
    return (
        select(PlanVisit)
        .join(
            TeamAssignment,
            and_(
                TeamAssignment.plan_id == PlanVisit.plan_id, TeamAssignment.team == PlanVisit.team
            ),
        )
        .where(TeamAssignment.username == username)
    )


def assigned_property_ids(session: Session, username: str) -> set[str]:
    """Property ids on any visit of a team `username` belongs to."""
    stmt = _assigned_visits(username).with_only_columns(PlanVisit.property_id)
    return set(session.scalars(stmt))


def is_assigned(session: Session, username: str, property_id: str) -> bool:
    """Whether `username` has a visit to `property_id`."""
    stmt = _assigned_visits(username).where(PlanVisit.property_id == property_id).limit(1)
    return session.scalar(stmt) is not None


def visit_ids_of(session: Session, username: str) -> set[int]:
    """Ids of the visits `username` may record outcomes for."""
    return set(session.scalars(_assigned_visits(username).with_only_columns(PlanVisit.id)))
