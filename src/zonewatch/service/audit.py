"""The audit trail: one row per read of personal data, export, login attempt and change.

Rows are appended to the hash chain of `zonewatch.store.audit` in the caller's transaction,
so they are committed (or rolled back) with what they record; `zonewatch audit verify`
checks the chain.
"""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.service.auth import Principal, now
from zonewatch.service.masking import Masker, sees_clear
from zonewatch.store import audit as chain
from zonewatch.store.models import AuditEvent

AUDIT_PENDING = "zonewatch_audit_pending"  # session.info flag read by deps.get_db


def begin_write(session: Session) -> None:
    """End a read-only transaction before a request's first write, so the write starts the
    next one: a SQLite transaction that has read and then writes fails at once ("database
    is locked") when another writer committed in between, one that writes first waits for
    the lock. Does nothing once the session holds changes or audit rows."""
    if not session.info.get(AUDIT_PENDING) and not (session.new or session.dirty
                                                     or session.deleted):
        session.rollback()


def record(
    session: Session,
    who: Principal,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict | None = None,
) -> None:
    """Write one audit row (committed with the request's transaction)."""
    record_as(session, who.username, who.role, action, target_type, target_id, detail)


def record_as(
    session: Session,
    username: str,
    role: str,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict | None = None,
) -> None:
    """Write one audit row for someone who is not a logged-in Principal (the CLI's OS user
    with role `cli`, or the name tried in a failed login with role `-`)."""
    session.info[AUDIT_PENDING] = True
    chain.append(
        session,
        at=now(),
        username=username,
        role=role,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        detail=detail,
    )


def _text(detail: dict | None) -> str:
    """A detail as one line of JSON for pages (never a Python repr)."""
    return json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""


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
            "detail_text": _text(e.detail),
        }
        for e in rows
    ]


def masked_for(rows: list[dict], role: str, masker: Masker) -> list[dict]:
    """`rows` as `role` may see them: person ids pseudonymised unless the role sees clear data."""
    if sees_clear(role):
        return rows
    for row in rows:
        if row["target_type"] == "owner":
            row["target_id"] = masker.pseudonym(row["target_id"])
        detail = row["detail"] or {}
        if detail.get("persons"):
            detail["persons"] = [masker.pseudonym(p) for p in detail["persons"]]
        row["detail_text"] = _text(detail)
    return rows
