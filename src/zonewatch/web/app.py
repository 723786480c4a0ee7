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
from zonewatch.rundir import RunDir
from zonewatch.service.app import create_api
from zonewatch.service.places import warm_places
from zonewatch.service.settings import Settings
from zonewatch.store.db import Store
from zonewatch.web.reads_entities import warm_drilldown
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

WARM_REGISTER_BYTES = 1_000_000  # bigger runs get the register's evidence computed at start
ROUTERS = [auth.router, lists.router, ranked.router, entities.router, register.router,
           plans.router, indicators.router, audit.router, search.router]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API under /api plus every page; reads the run named by `settings.run_dir`."""
    settings = settings or Settings.from_env()
    app = create_api(settings)
    state = app.state.zonewatch
    run = state.run
    if run is not None:  # big cities: build what the first visitors read
        threading.Thread(target=warm, args=(state.store, run), daemon=True).start()
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


def warm(store: Store, run: RunDir) -> None:
    """In one background thread, on the run version served at start: the overview (the page
    a newcomer lands on), the service's frames and evidence index, the drill-down tables,
    and for big runs every register entry's live evidence. Best effort: a broken file is
    left to the request that reads it, which reports why."""
    try:
        overview(run)
    except RuntimeError:
        pass
    warm_places(run)
    warm_drilldown(run)
    evidence = run.path / "evidence.csv"
    if evidence.is_file() and evidence.stat().st_size > WARM_REGISTER_BYTES:
        warm_evidence(store, run)
