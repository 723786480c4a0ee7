"""Users, argon2 password hashes and login tokens (the same token is the session cookie).

A token is 32 random bytes shown once to the client; the store keeps only its SHA-256,
so a leaked database does not leak live sessions.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from zonewatch.store.models import ROLES, ApiToken, User

MIN_PASSWORD = 8
# env ZONEWATCH_PASSWORD_PROFILE: argon2 cost of new hashes (verification reads the hash's own)
PASSWORD_PROFILES = {"default": profiles.RFC_9106_LOW_MEMORY, "cheapest": profiles.CHEAPEST}


@cache
def _hasher_for(profile: str) -> PasswordHasher:
    if profile not in PASSWORD_PROFILES:
        raise ValueError(f"ZONEWATCH_PASSWORD_PROFILE must be one of {sorted(PASSWORD_PROFILES)}")
    return PasswordHasher.from_parameters(PASSWORD_PROFILES[profile])


def hasher() -> PasswordHasher:
    """The argon2 hasher; `cheapest` is for tests only (env ZONEWATCH_PASSWORD_PROFILE)."""
    return _hasher_for(os.environ.get("ZONEWATCH_PASSWORD_PROFILE", "default"))


@dataclass(frozen=True)
class Principal:
    """The logged-in user as request handlers see it."""

    id: int
    username: str
    role: str


def now() -> datetime:
    """Naive UTC now, the store's time convention."""
    return datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003


def create_user(session: Session, username: str, password: str, role: str) -> Principal:
    """Add a user; refuses unknown roles, short passwords and taken usernames."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {', '.join(ROLES)}")
    if not username or len(username) > 64:
        raise ValueError("username must be 1..64 characters")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise ValueError(f"user {username!r} already exists")
    user = User(
        username=username,
        password_hash=hasher().hash(password),
        role=role,
        active=True,
        created_at=now(),
    )
    session.add(user)
    session.flush()
    return Principal(user.id, user.username, user.role)


def authenticate(session: Session, username: str, password: str) -> Principal | None:
    """The user if the password matches an active account, else None."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None or not user.active:
        hasher().hash(password)  # same work either way: no username oracle by timing
        return None
    try:
        hasher().verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return Principal(user.id, user.username, user.role)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, user: Principal, hours: int = 12) -> str:
    """A new login token for `user`, valid for `hours` (expired tokens are swept here)."""
    token = secrets.token_urlsafe(32)
    stamp = now()
    session.execute(delete(ApiToken).where(ApiToken.expires_at <= stamp))
    session.add(
        ApiToken(
            token_hash=_digest(token),
            user_id=user.id,
            created_at=stamp,
            expires_at=stamp + timedelta(hours=hours),
        )
    )
    session.flush()
    return token


def principal_for_token(session: Session, token: str) -> Principal | None:
    """The active user holding a live `token`, else None."""
    row = session.get(ApiToken, _digest(token))
    if row is None or row.expires_at <= now() or not row.user.active:
        return None
    return Principal(row.user.id, row.user.username, row.user.role)


def revoke_token(session: Session, token: str) -> None:
    """Log out: forget the token."""
    session.execute(delete(ApiToken).where(ApiToken.token_hash == _digest(token)))


def set_password(session: Session, username: str, password: str) -> None:
    """Replace a user's password and end all their sessions."""
    user = _user(session, username)
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"password must have at least {MIN_PASSWORD} characters")
    user.password_hash = hasher().hash(password)
    session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def set_active(session: Session, username: str, active: bool) -> None:
    """Enable or disable a user; disabling ends all their sessions."""
    user = _user(session, username)
    user.active = active
    if not active:
        session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise ValueError(f"no user {username!r}")
    return user
