"""Every read of personal data, export, login attempt and change lands in the one audit
chain, and the chain verifies afterwards. API and web, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient
from svc_helpers import PASSWORD, build_service

from zonewatch.cli import main
from zonewatch.service import Settings


def _events(client: TestClient, h: dict) -> list[dict]:
    return client.get("/api/audit?limit=1000", headers=h["admin"]).json()


def test_api_reads_exports_logins_and_changes_are_audited(store_url: str, tmp_path: Path) -> None:
    client, h, plan = build_service(store_url, tmp_path)
    before = len(_events(client, h))
    assert client.post("/api/auth/login", json={"username": "ann", "password": "nope-nope"}
                       ).status_code == 401
    assert client.post("/api/auth/login", json={"username": "ghost", "password": "x" * 9}
                       ).status_code == 401
    client.cookies.clear()
    steps = [
        ("GET", "/api/properties/P1", None, ("read", "property", "P1")),
        ("GET", "/api/owners/X1", None, ("read", "owner", "X1")),
        ("GET", "/api/owners", None, ("read", "owners_list", "page 1")),
        ("GET", "/api/networks", None, ("read", "networks_list", "page 1")),
        ("GET", "/api/outcomes/export", None, ("export", "inspection_outcomes", "csv")),
        ("GET", "/api/register/export", None, ("export", "register", "internal")),
        ("GET", "/api/register/export?public=true", None, ("export", "register", "public")),
        ("PATCH", "/api/register/REG-CLANS", {"changes": {"impact": 1}, "reason": "r"},
         ("update", "register_entry", "REG-CLANS")),
        ("POST", "/api/outcomes", {"visit_id": plan["visits"][0]["visit_id"],
                                   "inspected_on": "2026-12-01", "outcome": "no_access"},
         ("create", "inspection_outcome", None)),
    ]
    for method, path, body, _want in steps:
        res = client.request(method, path, headers=h["analyst"], json=body)
        assert res.status_code < 300, (path, res.text)
    events = _events(client, h)[::-1][before:]  # oldest first, ours only
    got = [(e["action"], e["target_type"], e["target_id"]) for e in events]
    assert got[:2] == [("login_failed", "user", "ann"), ("login_failed", "user", "ghost")]
    assert events[0]["role"] == "-" and events[0]["detail"]["via"] == "api"
    for (_m, _p, _b, want), row in zip(steps, got[2:], strict=True):
        assert row[:2] == want[:2] and (want[2] is None or row[2] == want[2]), (want, row)
    owner_read = events[3]
    assert owner_read["username"] == "ann" and "X1" in owner_read["detail"]["persons"]
    assert events[4]["detail"]["persons"] == ["X1"]  # the owners page showed X1
    # an auditor sees the same trail with pseudonyms; details are JSON, never reprs
    masked = client.get("/api/audit?limit=50", headers=h["auditor"]).json()
    shown = next(e for e in masked if e["target_type"] == "owners_list")
    assert shown["detail"]["persons"][0].startswith("ps_")
    assert shown["detail_text"].startswith('{"masked": false, "persons": ["ps_')
    res = CliRunner().invoke(main, ["audit", "verify", "--store", store_url])
    assert res.exit_code == 0 and "audit chain intact" in res.output


def test_web_login_page_reads_and_export_are_audited(store_url: str, tmp_path: Path) -> None:
    from zonewatch.web.app import create_app

    build_service(store_url, tmp_path)
    web = TestClient(create_app(Settings(store_url=store_url, run_dir=tmp_path / "run")))
    assert web.post("/login", data={"username": "ann", "password": "wrong!!!"}
                    ).status_code == 401
    assert web.post("/login", data={"username": "ann", "password": PASSWORD},
                    follow_redirects=False).status_code == 303
    assert web.get("/property/P1").status_code == 200
    assert web.get("/inspection.csv").status_code == 200
    admin = TestClient(create_app(Settings(store_url=store_url, run_dir=tmp_path / "run")))
    admin.post("/login", data={"username": "ada", "password": PASSWORD})
    page = admin.get("/audit.json").json()["events"][::-1]
    got = [(e["username"], e["action"], e["target_type"], (e["detail"] or {}).get("via"))
           for e in page if e["username"] == "ann"]
    assert got[-4:] == [("ann", "login_failed", "user", "web"), ("ann", "login", "user", "web"),
                        ("ann", "read", "property", None),
                        ("ann", "export", "inspection_list", None)]
    html = admin.get("/audit").text
    assert "{&#34;masked&#34;: false" in html  # JSON, escaped into the page
