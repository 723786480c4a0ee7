"""XSS and SQL-injection payloads on every input that reaches HTML or SQL (query strings,
path ids, register fields, outcome notes, the login form, audit filters): no 5xx, never
echoed unescaped into a page, never changing what SQL reads or writes. SQLite and PostgreSQL.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import duckdb
from fastapi.testclient import TestClient
from svc_helpers import PASSWORD, build_service

from zonewatch.service import Settings
from zonewatch.store import Store
from zonewatch.store.audit import verify

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    '" autofocus onfocus=alert(1) x="',
    "{{7*7}}",
]
SQL = [
    "' OR '1'='1",
    "P1' --",
    "'; DROP TABLE persons; --",
    "1 UNION SELECT person_id, iin FROM persons",
    "%' OR 1=1 --",
    'P1"; DELETE FROM audit_log; --',
]
PAYLOADS = XSS + SQL
RAW_MARKERS = ("<script>alert", "<img src=x", "<svg onload", '" autofocus onfocus')
PAGE_DATA = re.compile(r'<script type="application/json" id="page-data">(.*?)</script>', re.S)
# query parameters of pages and JSON routes that reach SQL filters or are echoed into HTML
QUERY_PAGES = ["/inspection?q={p}", "/inspection?district={p}", "/inspection?sort={p}",
               "/inspection?indicator={p}", "/owners?q={p}", "/officials?q={p}",
               "/networks?q={p}", "/audit?username={p}", "/audit?target_type={p}",
               "/register?status={p}", "/login?next={p}"]
PATH_PAGES = ["/property/{p}", "/owner/{p}", "/official/{p}", "/office/{p}", "/network/{p}",
              "/register/{p}"]
API = ["/api/properties?q={p}", "/api/properties?sort={p}", "/api/properties?district={p}",
       "/api/properties?property_kind={p}", "/api/owners?q={p}", "/api/audit?username={p}",
       "/api/register?zone={p}", "/api/properties/{p}", "/api/owners/{p}",
       "/api/register/{p}", "/api/outcomes?property_id={p}"]


def _no_raw_payload(html: str, where: str) -> None:
    """No payload as markup in the page; the page's JSON data block holds no `<` at all
    (so nothing in it can close the script element)."""
    for block in PAGE_DATA.findall(html):
        assert "<" not in block, f"{where}: '<' inside the page data"
    markup = PAGE_DATA.sub("", html)
    for marker in RAW_MARKERS:
        assert marker not in markup, f"{where}: unescaped {marker!r}"


def test_payloads_on_every_input(store_url: str, tmp_path: Path) -> None:
    from zonewatch.web.app import create_app

    api, h, plan = build_service(store_url, tmp_path)
    web = TestClient(create_app(Settings(store_url=store_url, run_dir=tmp_path / "run")))
    res = web.post("/login", data={"username": "ada", "password": PASSWORD},
                   follow_redirects=False)
    assert res.status_code == 303
    failures = []
    for payload in PAYLOADS:
        p = quote(payload, safe="")
        for template in QUERY_PAGES + PATH_PAGES:
            url = template.format(p=p)
            res = web.get(url)
            if res.status_code >= 500:
                failures.append(f"{url}: {res.status_code}")
            _no_raw_payload(res.text, url)
        for template in API:
            url = template.format(p=p)
            res = api.get(url, headers=h["admin"])
            if res.status_code >= 500:
                failures.append(f"{url}: {res.status_code}")
            elif res.status_code == 200 and "/api/properties?" in url and "q=" in url:
                assert res.json()["total"] == 0, url  # matched as text, never as SQL
        bad_login = web.post("/login", data={"username": payload, "password": "x"})
        assert bad_login.status_code == 401
        _no_raw_payload(bad_login.text, "login form")
    assert not failures, "\n".join(failures)
    assert api.get(f"/api/properties/{quote('P1'' --')}", headers=h["admin"]).status_code == 404


def test_stored_payloads_are_escaped_where_shown(store_url: str, tmp_path: Path) -> None:
    from zonewatch.web.app import create_app

    api, h, plan = build_service(store_url, tmp_path)
    for i, payload in enumerate(PAYLOADS):
        res = api.post("/api/register", headers=h["analyst"], json={"entry": {
            "code": f"REG-INJ-{i}", "title": payload, "summary": payload, "zone": payload,
            "nature": "systemic", "likelihood": 2, "impact": 2, "status": "identified"},
            "reason": payload})
        assert res.status_code == 201, res.text
    visit = plan["visits"][0]
    res = api.post("/api/outcomes", headers=h["analyst"], json={
        "visit_id": visit["visit_id"], "inspected_on": "2026-12-01", "outcome": "violation",
        "notes": " ".join(PAYLOADS)})
    assert res.status_code == 201
    web = TestClient(create_app(Settings(store_url=store_url, run_dir=tmp_path / "run")))
    web.post("/login", data={"username": "ada", "password": PASSWORD})
    for url in ["/register", "/register/REG-INJ-0", "/register/REG-INJ-1",
                f"/property/{visit['property_id']}", "/audit", f"/plans/{plan['plan_id']}"]:
        res = web.get(url)
        assert res.status_code == 200, url
        _no_raw_payload(res.text, url)
    shown = web.get("/register/REG-INJ-1.json").json()
    assert shown["entry"]["title"] == PAYLOADS[1]  # kept exactly, only escaped on output
    # the SQL payloads were data: tables and rows are all still there
    store = Store(store_url)
    with store.session() as db:
        assert verify(db).ok
    store.dispose()
    con = duckdb.connect(str(tmp_path / "run" / "zonewatch.duckdb"), read_only=True)
    assert con.execute("SELECT count(*) FROM persons").fetchone()[0] > 0
    con.close()
    assert len(api.get("/api/register", headers=h["admin"]).json()) >= len(PAYLOADS)


def test_filters_that_empty_the_list_keep_its_columns(store_url: str, tmp_path: Path) -> None:
    """Found by schemathesis: an empty object mask selected no columns (KeyError, 500)."""
    api, h, _plan = build_service(store_url, tmp_path)
    for url in ("/api/properties?q=zzz&indicator=norm_area&district=D1",
                "/api/properties?q=zzz&sort=district", "/api/offices?q=zzz&indicator=x",
                "/api/officials?indicator=nothing&sort=rank&order=desc"):
        res = api.get(url, headers=h["admin"])
        assert res.status_code == 200, (url, res.text)
        assert res.json()["total"] == 0
