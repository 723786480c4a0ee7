"""`create_api(settings)`: the FastAPI application, every JSON route mounted under `/api`.

The web UI builds on the returned app (adds its page routes to it), so pages and API share
one store, one run, one login and one role check.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute
from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from zonewatch.errors import Conflict, Invalid, NotFound, Unavailable
from zonewatch.service import (
    docs_ui,
    routes_auth,
    routes_data,
    routes_exports,
    routes_inspections,
    routes_public,
    routes_register,
    routes_search,
)
from zonewatch.service.security import SecurityMiddleware, install_log_redaction
from zonewatch.service.settings import Settings
from zonewatch.service.state import open_state

API_PREFIX = "/api"
ROUTERS = [
    routes_auth.router,
    routes_data.router,
    routes_register.router,
    routes_register.runs_router,
    routes_inspections.router,
    routes_public.router,
    docs_ui.router,
    routes_search.router,
    routes_exports.router,
]


class ErrorDetail(BaseModel):
    """Every refused or failed request: the reason, in one sentence."""

    detail: str


# the answers any route may give besides its own (documented in /openapi.json)
ERRORS: dict[int | str, dict] = {
    code: {"model": ErrorDetail, "description": text}
    for code, text in (
        (400, "the input breaks a rule (the detail names it)"),
        (401, "not logged in, or the token or session expired"),
        (403, "the role may not do this, or a cross-site write was refused"),
        (404, "no such thing in the store or the served run"),
        (409, "the change collides with stored data (duplicate, stale version)"),
        (429, "too many failed logins"),
        (503, "no run served, or the run is being rewritten"),
    )
}


def without_paths(message: str, request: Request) -> str:
    """`message` with the server's run and store paths named neutrally (no file layout leaks)."""
    state = getattr(request.app.state, "zonewatch", None)
    run_path = getattr(state, "run_path", None)
    if run_path is not None:
        for shown in {str(run_path), str(run_path.resolve())}:
            message = message.replace(shown, "the served run")
    return message


def _error(status: int):  # noqa: ANN202
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": without_paths(str(exc), request)}, status_code=status)

    return handler


async def _http_error(request: Request, exc: Exception) -> Response:
    """FastAPI's answer, but a 405 names every method the path takes in `Allow`."""
    if isinstance(exc, StarletteHTTPException) and exc.status_code == 405:
        scope = {**request.scope, "method": "GET"}
        methods: set[str] = set()
        for route in request.app.routes:
            if isinstance(route, APIRoute) and route.matches(scope)[0] != Match.NONE:
                methods |= route.methods or set()
        if methods:
            exc.headers = {**(exc.headers or {}), "Allow": ", ".join(sorted(methods))}
    return await http_exception_handler(request, exc)


async def _integrity(_request: Request, exc: Exception) -> JSONResponse:
    """A write that raced another one (duplicate key): nothing was written."""
    reason = str(getattr(exc, "orig", exc)).splitlines()[0]
    return JSONResponse({"detail": f"conflicting write, nothing saved: {reason}"}, 409)


def create_api(settings: Settings | None = None) -> FastAPI:
    """Open the store (migrating it to head) and the run, and build the API app."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="zonewatch",
        summary="Corruption zones in registration data: ranked lists, register, inspections",
        openapi_url="/openapi.json",
        docs_url=None,  # docs_ui serves /api/docs from the package's own files
        redoc_url=None,
    )
    app.add_middleware(SecurityMiddleware)
    install_log_redaction()
    app.state.zonewatch = open_state(settings)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX, responses=ERRORS)
    app.add_exception_handler(NotFound, _error(404))
    app.add_exception_handler(Invalid, _error(400))
    app.add_exception_handler(Conflict, _error(409))
    app.add_exception_handler(Unavailable, _error(503))
    app.add_exception_handler(IntegrityError, _integrity)
    app.add_exception_handler(StarletteHTTPException, _http_error)

    @app.get(API_PREFIX + "/health", tags=["meta"])
    def health() -> dict:
        state = app.state.zonewatch
        return {
            "status": "ok",
            "run": str(state.run.path) if state.run else None,
            "store": state.store.engine.dialect.name,
        }

    return app


def app_from_env() -> FastAPI:
    """App factory for `uvicorn --factory zonewatch.service.app:app_from_env` (env settings)."""
    return create_api(Settings.from_env())
