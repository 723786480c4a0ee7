"""Helpers shared by the web tests: test users, an app per run, logging a client in."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from zonewatch.service.auth import create_user
from zonewatch.service.settings import Settings
from zonewatch.web.app import create_app

PASSWORD = "correct-horse-1"
USERS = {"ana": "analyst", "aud": "auditor", "insp": "inspector", "root": "admin"}


def make_app(run: Path, store_dir: Path, store_url: str | None = None) -> FastAPI:
    """The full app (API + pages) on a fresh store (SQLite in `store_dir` unless `store_url`)
    holding one user per role."""
    url = store_url or f"sqlite:///{store_dir / 'store.sqlite'}"
    app = create_app(Settings.from_env(store=url, run=run, secret="test-secret"))
    with app.state.zonewatch.store.session() as session:
        for name, role in USERS.items():
            create_user(session, name, PASSWORD, role)
    return app


def login(client: TestClient, username: str) -> TestClient:
    """Log `client` in through the login form."""
    response = client.post("/login", data={"username": username, "password": PASSWORD},
                           follow_redirects=False)
    assert response.status_code == 303, response.text
    return client


def embedded(html: str) -> dict:
    """The page data an HTML page carries in <script id="page-data">."""
    found = re.search(r'<script type="application/json" id="page-data">(.*?)</script>', html,
                      re.S)
    assert found, "page has no embedded data"
    return json.loads(found.group(1))
