"""One code path per page: a function builds the page's data, then it is rendered or sent as JSON.

`add_page(router, "/property/{property_id}", "property.html", "read_lists", build)` serves
`/property/P1` as HTML and `/property/P1.json` as the very dict the template received. The
login check, role check (the service's PERMISSIONS) and errors are handled here once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from zonewatch.errors import Invalid, NotFound
from zonewatch.rundir import RunDir
from zonewatch.service.app import without_paths
from zonewatch.service.auth import Principal, principal_for_token
from zonewatch.service.deps import DB, PERMISSIONS, request_token, service_state
from zonewatch.service.masking import Masker, sees_clear
from zonewatch.service.scrub import scrub_run_persons
from zonewatch.service.views import Viewer
from zonewatch.web import charts
from zonewatch.web.i18n import COOKIE, LANGUAGES, Translator, pick_language
from zonewatch.web.register_i18n import register_text, register_value
from zonewatch.web.sentences import sentence
from zonewatch.web.sentences import title as indicator_title

TEMPLATES = Jinja2Templates(directory=str(resources.files("zonewatch.web") / "templates"))
TEMPLATES.env.globals.update(charts=charts, languages=LANGUAGES)
TEMPLATES.env.filters["sentence"] = sentence
TEMPLATES.env.filters["indicator_title"] = indicator_title
TEMPLATES.env.filters["register_value"] = register_value
TEMPLATES.env.filters["register_text"] = register_text
TEMPLATES.env.filters["dict_bar"] = charts.dict_bar
TEMPLATES.env.filters["peer_bar"] = charts.peer_bar
TEMPLATES.env.filters["trend_row"] = charts.trend_row
TEMPLATES.env.filters["split_ids"] = lambda ids: (
    [i for i in ids.split(";") if i] if isinstance(ids, str) else list(ids or []))
TEMPLATES.env.filters["qs"] = lambda params, **changes: urlencode(
    {k: v for k, v in (dict(params) | changes).items() if v not in (None, "")})
TEMPLATES.env.policies["json.dumps_function"] = lambda obj, **kw: json.dumps(
    jsonable_encoder(obj), **kw)
NAV = [("overview", "/overview", "read_lists"), ("inspection", "/inspection", "read_lists"),
       ("owners", "/owners", "read_lists"), ("officials", "/officials", "read_lists"),
       ("networks", "/networks", "read_lists"), ("register", "/register", "read_lists"),
       ("indicators", "/indicators", "read_lists"), ("downloads", "/downloads", "read_lists"),
       ("plans", "/plans", "read_plans"), ("audit", "/audit", "audit")]


class PageError(Exception):
    """An error a page reports with an HTTP status and a message for the user."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Page:
    """What a page builder gets: the request, the user, the store session and the run."""

    request: Request
    user: Principal
    db: Session
    lang: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def query(self) -> dict[str, str]:
        """The URL's query parameters (last value wins)."""
        return dict(self.request.query_params)

    @property
    def run(self) -> RunDir:
        """The analysis run served; a 503 page when none is configured."""
        run = served_run(self.request)
        if run is None:
            raise PageError(503, "no analysis run configured: start with --run or ZONEWATCH_RUN")
        return run

    def can(self, permission: str) -> bool:
        """Whether the user's role holds `permission`."""
        return self.user.role in PERMISSIONS.get(permission, ())

    def masker(self) -> Masker:
        """The service's pseudonymiser (its key is kept in the store)."""
        return Masker(service_state(self.request).pseudonym_key)

    def viewer(self) -> Viewer:
        """The service's `Viewer` for its read functions (masking and audit included)."""
        return Viewer(self.user, self.db, self.run, self.masker())


Builder = Callable[[Page], dict[str, Any]]


def served_run(request: Request) -> RunDir | None:
    """The version of the served run to read now (the service's, see `rundir.open_run`)."""
    return service_state(request).run


def page_user(request: Request, db: Session) -> Principal | None:
    """The logged-in user from the bearer token or session cookie, else None."""
    token = request_token(request)
    return principal_for_token(db, token) if token else None


def render(request: Request, template: str, data: dict[str, Any], user: Principal | None,
           lang: str, status: int = 200, has_json: bool = True) -> HTMLResponse:
    """Render `template` with the page data and the chrome (nav, language, user)."""
    nav = [(key, url) for key, url, perm in NAV
           if user is not None and user.role in PERMISSIONS.get(perm, ())]
    response = TEMPLATES.TemplateResponse(
        request, template,
        {"data": data, "user": user, "t": Translator(lang), "lang": lang, "nav": nav,
         "json_url": _json_url(request) if has_json else None,
         "can_read_lists": user is not None and user.role in PERMISSIONS["read_lists"]},
        status_code=status)
    if request.query_params.get("lang") in LANGUAGES:
        response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
    return response


def _json_url(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return f"{request.url.path}.json{query}"


def add_page(router: APIRouter, path: str, template: str, permission: str,
             build: Builder) -> None:
    """Serve `build` at `path` (HTML) and `path + '.json'` (the same data as JSON)."""

    def endpoint(request: Request, db: DB) -> Response:
        as_json = request.url.path.endswith(".json")
        lang = pick_language(request)
        user = page_user(request, db)
        try:
            if user is None:
                if as_json:
                    raise PageError(401, "not logged in: send a bearer token or session cookie")
                target = quote(str(request.url.path) + (f"?{request.url.query}"
                                                        if request.url.query else ""))
                keep = f"&lang={lang}" if request.query_params.get("lang") else ""
                return RedirectResponse(f"/login?next={target}{keep}", status_code=303)
            if user.role not in PERMISSIONS[permission]:
                raise PageError(403, f"role {user.role!r} may not open this page")
            page = Page(request, user, db, lang, dict(request.path_params))
            data = jsonable_encoder(build(page))  # the template sees exactly the JSON
            if not sees_clear(user.role) and data.get("masked") is not False:
                data = scrub_run_persons(data, served_run(request), page.masker())
        except PageError as exc:
            return error_response(request, exc.status, str(exc), user, lang, as_json)
        except HTTPException as exc:
            return error_response(request, exc.status_code, str(exc.detail), user, lang,
                                  as_json)
        except NotFound as exc:
            return error_response(request, 404, str(exc), user, lang, as_json)
        except (ValueError, Invalid) as exc:
            return error_response(request, 400, str(exc), user, lang, as_json)
        if as_json:
            return JSONResponse(data)
        return render(request, template, data, user, lang)

    endpoint.__name__ = f"page_{template.removesuffix('.html')}"
    router.add_api_route(path + ".json", endpoint, methods=["GET"], include_in_schema=False)
    router.add_api_route(path, endpoint, methods=["GET"], include_in_schema=False,
                         response_class=HTMLResponse)


def error_response(request: Request, status: int, message: str, user: Principal | None,
                   lang: str, as_json: bool) -> Response:
    """The error as JSON (`{"detail": ...}`) or as a page."""
    message = without_paths(message, request)
    if as_json:
        return JSONResponse({"detail": message}, status_code=status)
    return render(request, "error.html", {"status": status, "detail": message}, user, lang,
                  status=status)
