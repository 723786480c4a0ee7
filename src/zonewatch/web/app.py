"""`create_app(settings)`: the service's API app with the web pages and static files added.

The pages are added to the very app `zonewatch.service.app.create_api` returns, so they
share its store, login, role checks and audit trail.
"""

from __future__ import annotations

import threading
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse
from fastapi.staticfiles import StaticFiles

from zonewatch.register.evidence_cache import warm_evidence
from zonewatch.service.app import create_api
from zonewatch.service.places import warm_places
from zonewatch.service.settings import Settings
from zonewatch.web.reads_entities import warm
from zonewatch.web.reads_lists import overview
from zonewatch.web.routes import (
    audit,
    auth,
    entities,
    indicators,
    lists,
    plans,
    ranked,
    register,
    search,
)
from zonewatch.web.rundata import RunData

WARM_REGISTER_BYTES = 1_000_000  # bigger runs get the register's evidence computed at start
ROUTERS = [auth.router, lists.router, ranked.router, entities.router, register.router,
           plans.router, indicators.router, audit.router, search.router]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API under /api plus every page; reads the run named by `settings.run_dir`."""
    settings = settings or Settings.from_env()
    app = create_api(settings)
    app.state.web_run = RunData(settings.run_dir) if settings.run_dir else None
    if app.state.web_run is not None:  # big cities: build what the first visitor reads
        threading.Thread(target=warm_pages, args=(app.state.web_run,), daemon=True).start()
    state = app.state.zonewatch
    if state.run is not None:  # the inspection list's place columns
        threading.Thread(target=warm_places, args=(state.run,), daemon=True).start()
        evidence = state.run.path / "evidence.csv"
        if evidence.is_file() and evidence.stat().st_size > WARM_REGISTER_BYTES:
            threading.Thread(target=warm_evidence, args=(state.store, state.run),
                             daemon=True).start()
    static = resources.files("zonewatch.web") / "static"
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    for router in ROUTERS:
        app.include_router(router)

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> RedirectResponse:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse("/overview" + query, status_code=303)

    return app


def app_from_env() -> FastAPI:
    """The full app from env settings: the factory `serve --workers N` gives each worker
    (`uvicorn --factory zonewatch.web.app:app_from_env`)."""
    return create_app(Settings.from_env())


def warm_pages(run: RunData) -> None:
    """The overview (the page a newcomer lands on) first, then the drill-down tables."""
    overview(run)
    warm(run)
