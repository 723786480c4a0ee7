"""Login and logout pages: the service's password check and token, set as session cookie."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from zonewatch.service.auth import revoke_token
from zonewatch.service.deps import (
    COOKIE_NAME,
    DB,
    PERMISSIONS,
    request_token,
    service_state,
)
from zonewatch.service.login import LoginRefused, log_in
from zonewatch.web.i18n import pick_language
from zonewatch.web.pages import page_user, render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a fresh login to another site."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/overview"
    return target


@router.get("/login", include_in_schema=False)
def login_form(request: Request, db: DB) -> Response:
    """The login form."""
    data = {"next": _safe_next(request.query_params.get("next")), "failed": False}
    return render(request, "login.html", data, page_user(request, db), pick_language(request),
                  has_json=False)


@router.post("/login", include_in_schema=False)
async def login_submit(request: Request, db: DB) -> Response:
    """Check the password and set the session cookie, or show the form again."""
    form = await request.form()
    username, password = str(form.get("username", "")), str(form.get("password", ""))
    target = _safe_next(str(form.get("next", "")))
    settings = service_state(request).settings
    try:
        if not (username and password):
            raise LoginRefused(401, "wrong username or password")
        user, token = log_in(db, request, settings, username, password, "web")
    except LoginRefused as refused:
        data = {"next": target, "failed": True, "username": username}
        return render(request, "login.html", data, None, pick_language(request),
                      status=refused.status_code, has_json=False)
    if target == "/overview" and user.role not in PERMISSIONS["read_lists"]:
        target = "/plans"  # inspectors start from their visits
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE_NAME, token, max_age=settings.token_hours * 3600, httponly=True,
                        samesite="lax", secure=settings.cookie_secure)
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, db: DB) -> Response:
    """Forget the session and go back to the login form."""
    token = request_token(request)
    if token:
        revoke_token(db, token)
        db.commit()
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME)
    return response
