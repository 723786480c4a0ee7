"""One login path for the API and the web form: rate limit, password check, audit, token.

Every attempt is audited (`login` or `login_failed`, with `via` and the client address).
The rate limit counts the failed attempts for a username in the audit table itself, so it
holds across worker processes and restarts: after `login_max_failures` failures within
`login_window_minutes` that username is refused (HTTP 429) until the window has passed.
"""

from __future__ import annotations

from datetime import timedelta

from fastapi import HTTPException, Request
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonewatch.service import audit
from zonewatch.service.auth import Principal, authenticate, issue_token, now
from zonewatch.service.settings import Settings
from zonewatch.store.models import AuditEvent

FAILED = "login_failed"


class LoginRefused(HTTPException):
    """A failed (401) or rate-limited (429) login; the failure is already committed."""


def recent_failures(db: Session, username: str, minutes: int) -> int:
    """Failed logins for `username` within the last `minutes`."""
    since = now() - timedelta(minutes=minutes)
    return db.scalar(
        select(func.count())
        .select_from(AuditEvent)
        .where(
            AuditEvent.action == FAILED,
            AuditEvent.target_id == username[:255],
            AuditEvent.at >= since,
        )
    ) or 0


def log_in(
    db: Session, request: Request, settings: Settings, username: str, password: str, via: str
) -> tuple[Principal, str]:
    """The user and a new token, with the attempt audited and committed; LoginRefused else."""
    client = request.client.host if request.client else None
    detail = {"via": via, "client": client}
    window = settings.login_window_minutes
    if recent_failures(db, username, window) >= settings.login_max_failures:
        audit.record_as(db, username, "-", FAILED, "user", username, {**detail, "limited": True})
        db.commit()
        raise LoginRefused(
            429,
            f"too many failed logins for this user: try again in {window} minutes",
            headers={"Retry-After": str(window * 60)},
        )
    user = authenticate(db, username, password)
    if user is None:
        audit.record_as(db, username, "-", FAILED, "user", username, detail)
        db.commit()
        raise LoginRefused(401, "wrong username or password")
    token = issue_token(db, user, settings.token_hours)
    audit.record(db, user, "login", "user", user.username, detail)
    db.commit()
    return user, token
