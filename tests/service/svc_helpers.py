"""Building a real service (real store, tiny run) with one logged-in user per role."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from tiny_run import make_tiny_run

from zonewatch.inspections.planner import Capacity, build_plan
from zonewatch.service import Settings, create_api
from zonewatch.service.auth import create_user
from zonewatch.store import Store

PASSWORD = "correct horse"
USERS = {"admin": "ada", "analyst": "ann", "inspector": "ivan", "auditor": "aud"}


def build_service(store_url: str, tmp: Path) -> tuple[TestClient, dict[str, dict], dict]:
    """The app, bearer headers per role, and a plan whose team 1 is ivan's (P1 on it)."""
    run = make_tiny_run(tmp / "run")
    store = Store(store_url)
    with store.session() as db:
        for role, name in USERS.items():
            create_user(db, name, PASSWORD, role)
        create_user(db, "other", PASSWORD, "inspector")
        plan = build_plan(db, run, Capacity(2, 1, 2), date(2026, 12, 1), "ann",
                          inspectors={1: ["ivan"], 2: ["other"]})
    store.dispose()
    client = TestClient(create_api(Settings(store_url=store_url, run_dir=run)))
    headers = {}
    for role, name in USERS.items():
        res = client.post("/api/auth/login", json={"username": name, "password": PASSWORD})
        assert res.status_code == 200, res.text
        headers[role] = {"Authorization": f"Bearer {res.json()['token']}"}
    client.cookies.clear()
    return client, headers, plan
