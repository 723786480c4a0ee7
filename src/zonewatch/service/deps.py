"""FastAPI dependencies: the request's DB session, the logged-in user and role checks.

The web pages use these same dependencies, so a page and its JSON twin see the same user,
the same role check and the same data.
(No `from __future__ import annotations` here: FastAPI must see the closures' real
annotations in `require_role` and `viewer_with`.)
"""

from collections.abc import Callable, Iterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request
from sqlalchemy.orm import Session

from zonewatch.rundir import RunDir
from zonewatch.service.audit import AUDIT_PENDING
from zonewatch.service.auth import Principal, principal_for_token
from zonewatch.service.masking import Masker
from zonewatch.service.state import ServiceState
from zonewatch.service.views import Viewer
from zonewatch.store.models import InspectionPlan

COOKIE_NAME = "zonewatch_session"


def service_state(request: Request) -> ServiceState:
    """The running service's shared state."""
    return request.app.state.zonewatch


def get_db(request: Request) -> Iterator[Session]:
    """One session per request. Handlers commit their writes explicitly; when a handler
    returns normally, audit rows it left uncommitted (a read of personal data) are committed
    before the response is sent; on any error everything is rolled back."""
    session = service_state(request).store.new_session()
    try:
        yield session
        if session.info.pop(AUDIT_PENDING, False):
            session.commit()
    finally:
        session.rollback()
        session.close()


def request_token(request: Request) -> str | None:
    """The bearer token from `Authorization`, else the session cookie."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE_NAME)


# "function" scope: the session ends (and pending audit rows are committed) before the
# response leaves, so nobody sees personal data whose read was not recorded
DB = Annotated[Session, Depends(get_db, scope="function")]


def current_user(request: Request, db: DB) -> Principal:
    """The logged-in user; 401 when the token or cookie is missing, expired or unknown."""
    token = request_token(request)
    if not token:
        raise HTTPException(
            401,
            "not logged in: send 'Authorization: Bearer <token>' or the session cookie",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = principal_for_token(db, token)
    if not db.new and not db.dirty and not db.deleted:
        db.rollback()  # hand the connection back while this request waits for its handler
    if user is None:
        raise HTTPException(
            401,
            "token or session expired or unknown; log in again",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


# what each role may do; endpoints name a permission, never a list of roles
PERMISSIONS: dict[str, tuple[str, ...]] = {
    "read_lists": ("admin", "analyst", "auditor"),  # ranked lists, entities, register
    "edit_register": ("admin", "analyst"),
    "plan": ("admin", "analyst"),
    "read_plans": ("admin", "analyst", "auditor", "inspector"),  # inspector: own visits only
    "record_outcome": ("admin", "analyst", "inspector"),  # inspector: own visits only
    "users": ("admin",),  # create users
    "read_users": ("admin", "auditor"),  # who has which role: auditors check access
    "audit": ("admin", "auditor"),
}


def allowed(permission: str) -> Callable[..., Principal]:
    """A dependency letting through the roles that hold `permission` (see PERMISSIONS)."""
    return require_role(*PERMISSIONS[permission])


def require_role(*roles: str) -> Callable[..., Principal]:
    """A dependency that lets only `roles` through (403 otherwise) and returns the user."""

    def check(user: Annotated[Principal, Depends(current_user)]) -> Principal:
        if user.role not in roles:
            raise HTTPException(
                403, f"role {user.role!r} may not do this; allowed: {', '.join(roles)}"
            )
        return user

    return check


def plan_teams(plan: InspectionPlan, role: str, username: str) -> set[int] | None:
    """The teams of `plan` a user may see: all (None), or an inspector's own teams; 403 for an
    inspector on none of them."""
    if role != "inspector":
        return None
    teams = {a.team for a in plan.assignments if a.username == username}
    if not teams:
        raise HTTPException(403, f"you are on no team of plan {plan.id}")
    return teams


def current_run(request: Request) -> RunDir:
    """The analysis run served; 503 when the service was started without one."""
    run = service_state(request).run
    if run is None:
        raise HTTPException(503, "no analysis run configured: start with --run or ZONEWATCH_RUN")
    return run


CurrentUser = Annotated[Principal, Depends(current_user)]
Run = Annotated[RunDir, Depends(current_run)]


def get_viewer(request: Request, user: CurrentUser, db: DB, run: Run) -> Viewer:
    """The logged-in user, their session and the run, for the functions in `views`."""
    return Viewer(user, db, run, Masker(service_state(request).pseudonym_key))


def viewer_with(permission: str) -> Callable[..., Viewer]:
    """A `Viewer` dependency that first checks `permission` (see PERMISSIONS)."""

    def build(
        request: Request,
        user: Annotated[Principal, Depends(allowed(permission))],
        db: DB,
        run: Run,
    ) -> Viewer:
        return Viewer(user, db, run, Masker(service_state(request).pseudonym_key))

    return build
