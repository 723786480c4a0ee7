"""Users from the command line: create, list, change password, disable (sessions end)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient

from zonewatch.cli import main
from zonewatch.service import Settings, create_api


def test_users_commands_and_sessions(store_url: str, tmp_path: Path) -> None:
    cli, s = CliRunner(), ["--store", store_url]
    res = cli.invoke(main, ["users", "add", "ann", "--role", "analyst", "--password",
                            "first password", *s])
    assert res.exit_code == 0, res.output
    bad = cli.invoke(main, ["users", "add", "ann", "--role", "analyst", "--password",
                            "first password", *s])
    assert bad.exit_code != 0 and "already exists" in bad.output
    bad = cli.invoke(main, ["users", "add", "bob", "--role", "king", "--password", "x" * 9, *s])
    assert bad.exit_code != 0
    short = cli.invoke(main, ["users", "add", "bob", "--role", "auditor", "--password", "x", *s])
    assert short.exit_code != 0 and "at least 8" in short.output
    assert "ann\tanalyst" in cli.invoke(main, ["users", "list", *s]).output

    client = TestClient(create_api(Settings(store_url=store_url)))
    login = {"username": "ann", "password": "first password"}
    token = client.post("/api/auth/login", json=login).json()["token"]
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/auth/me", headers=auth).status_code == 200
    assert cli.invoke(main, ["users", "passwd", "ann", "--password", "second password",
                             *s]).exit_code == 0
    assert client.get("/api/auth/me", headers=auth).status_code == 401  # session ended
    assert client.post("/api/auth/login", json=login).status_code == 401
    login["password"] = "second password"
    assert client.post("/api/auth/login", json=login).status_code == 200
    assert cli.invoke(main, ["users", "disable", "ann", *s]).exit_code == 0
    assert client.post("/api/auth/login", json=login).status_code == 401
    assert "(disabled)" in cli.invoke(main, ["users", "list", *s]).output
    assert cli.invoke(main, ["users", "enable", "ann", *s]).exit_code == 0
    assert client.post("/api/auth/login", json=login).status_code == 200
    assert cli.invoke(main, ["users", "disable", "nobody", *s]).exit_code != 0
