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


PERSON_SCAN = 20_000  # newest events searched for one person's reads


def events(
    session: Session,
    *,
    username: str | None = None,
    target_type: str | None = None,
    person_id: str | None = None,
    limit: int = 200,
) -> list[dict]:
    """The newest audit rows, optionally for one user, one kind of target, or those that
    showed one person's data (searched among the newest PERSON_SCAN rows)."""
    stmt = select(AuditEvent).order_by(AuditEvent.id.desc())
    if username:
        stmt = stmt.where(AuditEvent.username == username)
    if target_type:
        stmt = stmt.where(AuditEvent.target_type == target_type)
    if person_id:
        rows = [
            e
            for e in session.scalars(stmt.limit(PERSON_SCAN))
            if person_id in ((e.detail or {}).get("persons") or ())
        ][:limit]
    else:
        rows = list(session.scalars(stmt.limit(limit)))
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
        for e in rows
    ]
