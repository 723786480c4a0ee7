"""The audit trail: one row per read of personal data and per change, in the same transaction."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.service.auth import Principal, now
from zonewatch.store.models import AuditEvent


def record(
    session: Session,
    who: Principal,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict | None = None,
) -> None:
    """Write one audit row (committed with the request's transaction)."""
    session.add(
        AuditEvent(
            at=now(),
            username=who.username,
            role=who.role,
            action=action,
            target_type=target_type,
            target_id=str(target_id),
            detail=detail,
        )
    )


def events(
    session: Session,
    *,
    username: str | None = None,
    target_type: str | None = None,
    limit: int = 200,
) -> list[dict]:
    """The newest audit rows, optionally for one user or one kind of target."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit)
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if target_type:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "username": e.username,
            "role": e.role,
            "action": e.action,
            "target_type": e.target_type,
            "target_id": e.target_id,
            "detail": e.detail,
        }
        for e in session.scalars(stmt)
    ]
