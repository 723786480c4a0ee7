"""`create_api(settings)`: the FastAPI application, every JSON route mounted under `/api`.

The web UI builds on the returned app (adds its page routes to it), so pages and API share
one store, one run, one login and one role check.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError

from zonewatch.service import (
    routes_auth,
    routes_data,
    routes_exports,
    routes_inspections,
    routes_public,
    routes_register,
    routes_search,
)
from zonewatch.service.settings import Settings
from zonewatch.service.state import open_state
from zonewatch.store.errors import Conflict, Invalid, NotFound, Unavailable

API_PREFIX = "/api"
ROUTERS = [
    routes_auth.router,
    routes_data.router,
    routes_register.router,
    routes_register.runs_router,
    routes_inspections.router,
    routes_public.router,
    routes_search.router,
    routes_exports.router,
]


def without_paths(message: str, request: Request) -> str:
    """`message` with the server's run and store paths named neutrally (no file layout leaks)."""
    state = getattr(request.app.state, "zonewatch", None)
    run = getattr(state, "run", None)
    if run is not None:
        for shown in {str(run.path), str(run.path.resolve())}:
            message = message.replace(shown, "the served run")
    return message


def _error(status: int):  # noqa: ANN202
    async def handler(request: Request, exc: Exception) -> JSONResponse:
        return JSONResponse({"detail": without_paths(str(exc), request)}, status_code=status)

    return handler


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
        docs_url=API_PREFIX + "/docs",
        redoc_url=None,
    )
    app.state.zonewatch = open_state(settings)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    app.add_exception_handler(NotFound, _error(404))
    app.add_exception_handler(Invalid, _error(400))
    app.add_exception_handler(Conflict, _error(409))
    app.add_exception_handler(Unavailable, _error(503))
    app.add_exception_handler(IntegrityError, _integrity)

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
