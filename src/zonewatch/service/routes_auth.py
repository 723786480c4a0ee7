"""Login (bearer token + session cookie), logout, who am I, and user administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from zonewatch.service import audit
from zonewatch.service.auth import Principal, create_user, revoke_token
from zonewatch.service.deps import (
    COOKIE_NAME,
    DB,
    CurrentUser,
    allowed,
    request_token,
    service_state,
)
from zonewatch.service.login import log_in
from zonewatch.service.masking import Masker, sees_clear
from zonewatch.store.models import User

router = APIRouter(tags=["auth"])


class NewUser(BaseModel):
    """A user to create (admin only)."""

    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=8)
    role: str


async def _credentials(request: Request) -> tuple[str, str]:
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            body = await request.json()
        except ValueError as exc:
            raise HTTPException(400, "login body is not valid JSON") from exc
    else:
        body = dict(await request.form())
    if not isinstance(body, dict) or not body.get("username") or not body.get("password"):
        raise HTTPException(400, "login needs 'username' and 'password' (JSON or form)")
    return str(body["username"]), str(body["password"])


@router.post("/auth/login")
async def login(request: Request, response: Response, db: DB) -> dict:
    """Check the password; return a bearer token and set the same value as session cookie."""
    username, password = await _credentials(request)
    settings = service_state(request).settings
    user, token = log_in(db, request, settings, username, password, "api")
    response.set_cookie(
        COOKIE_NAME,
        token,
        max_age=settings.token_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.cookie_secure,
    )
    return {"token": token, "token_type": "bearer", "user": user.__dict__}


@router.post("/auth/logout")
def logout(request: Request, response: Response, db: DB) -> dict:
    """Forget the current token / cookie."""
    token = request_token(request)
    if token:
        revoke_token(db, token)
        db.commit()
    response.delete_cookie(COOKIE_NAME)
    return {"logged_out": True}


@router.get("/auth/me")
def me(user: CurrentUser) -> dict:
    """The logged-in user."""
    return user.__dict__


@router.get("/users")
def list_users(_: Annotated[Principal, Depends(allowed("read_users"))], db: DB) -> list[dict]:
    """Every user with role and state (admin, auditor)."""
    return [
        {"id": u.id, "username": u.username, "role": u.role, "active": u.active}
        for u in db.scalars(select(User).order_by(User.username))
    ]


@router.post("/users", status_code=201)
def add_user(
    body: NewUser,
    who: Annotated[Principal, Depends(allowed("users"))],
    db: DB,
) -> dict:
    """Create a user (admin only)."""
    try:
        user = create_user(db, body.username, body.password, body.role)
    except ValueError as exc:
        raise HTTPException(409 if "exists" in str(exc) else 400, str(exc)) from exc
    audit.record(db, who, "create", "user", user.username, {"role": user.role})
    db.commit()
    return user.__dict__


@router.get("/audit")
def audit_log(
    request: Request,
    who: Annotated[Principal, Depends(allowed("audit"))],
    db: DB,
    username: str | None = None,
    target_type: str | None = None,
    person_id: str | None = None,
    limit: int = 200,
) -> list[dict]:
    """The newest audit events (admin, auditor); `person_id`: reads that showed that person."""
    masker = Masker(service_state(request).pseudonym_key)
    clear = sees_clear(who.role)
    if person_id and not clear:  # a search by real id would confirm who a pseudonym is
        raise HTTPException(403, "only roles that see personal data may search by person_id")
    rows = audit.events(
        db, username=username, target_type=target_type, person_id=person_id, limit=min(limit, 1000)
    )
    return audit.masked_for(rows, who.role, masker)  # person ids would undo the pseudonyms
