"""Web security: headers, CSRF refusal, cookie flags, session expiry, login rate limit, docs
served from the package, and redacted access logs. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select, update
from svc_helpers import PASSWORD, build_service

from zonewatch.service import Settings, create_api
from zonewatch.service.auth import now
from zonewatch.service.security import RedactAccessLog, redact_path
from zonewatch.store import Store
from zonewatch.store.models import ApiToken, AuditEvent


def test_security_headers_on_api_pages_and_errors(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    for res in (client.get("/api/health"), client.get("/api/properties"),
                client.get("/api/properties/NOPE", headers=h["admin"]), client.get("/api/docs")):
        csp = res.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "http" not in csp  # no outside origin
        assert res.headers["x-frame-options"] == "DENY"
        assert res.headers["x-content-type-options"] == "nosniff"


def test_swagger_ui_comes_from_the_package(store_url: str, tmp_path: Path) -> None:
    client, _h, _plan = build_service(store_url, tmp_path)
    page = client.get("/api/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text and "https://" not in page.text and "<script>" not in page.text
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css", "swagger-init.js"):
        res = client.get(f"/api/docs/assets/{asset}")
        assert res.status_code == 200 and len(res.content) > 200, asset
    assert "SwaggerUIBundle" in client.get("/api/docs/assets/swagger-ui-bundle.js").text
    assert client.get("/api/docs/assets/..%2F__init__.py").status_code == 404


def test_cross_site_writes_are_refused(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    login = {"username": "ann", "password": PASSWORD}
    assert client.post("/api/auth/login", json=login).status_code == 200  # cookie set
    body = {"entry": {"code": "REG-X", "title": "t", "summary": "s", "zone": "z",
                      "nature": "systemic", "likelihood": 2, "impact": 2,
                      "status": "identified"}, "reason": "r"}
    for headers in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/x"},
                    {"Sec-Fetch-Site": "cross-site"}, {"Origin": "null"}):
        res = client.post("/api/register", json=body, headers=headers)
        assert res.status_code == 403, headers
        assert "cross-site request refused (CSRF)" in res.json()["detail"]
        forged_login = client.post("/login", data=login, headers=headers)
        assert forged_login.status_code == 403
    same = client.post("/api/register", json=body, headers={"Origin": "http://testserver"})
    assert same.status_code == 201, same.text
    # a bearer token cannot be sent by another site's page: it passes
    body["entry"]["code"] = "REG-Y"
    bearer = client.post("/api/register", json=body,
                         headers={"Origin": "https://evil.example", **h["analyst"]})
    assert bearer.status_code == 201
    assert client.get("/api/register/REG-X", headers={"Origin": "https://evil.example"}
                      ).status_code == 200  # reads are not refused


def test_cookie_flags_and_secure_option(store_url: str, tmp_path: Path) -> None:
    client, _h, _plan = build_service(store_url, tmp_path)
    res = client.post("/api/auth/login", json={"username": "ann", "password": PASSWORD})
    cookie = res.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" not in cookie
    secure = TestClient(create_api(Settings(store_url=store_url, run_dir=tmp_path / "run",
                                            cookie_secure=True)))
    res = secure.post("/api/auth/login", json={"username": "ann", "password": PASSWORD})
    assert "; secure" in res.headers["set-cookie"].lower()


def test_session_expires(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    assert client.get("/api/auth/me", headers=h["analyst"]).status_code == 200
    store = Store(store_url)
    with store.session() as db:  # every login's lifetime has just run out
        db.execute(update(ApiToken).values(expires_at=now() - timedelta(seconds=1)))
    store.dispose()
    res = client.get("/api/auth/me", headers=h["analyst"])
    assert res.status_code == 401 and "expired" in res.json()["detail"]


def test_login_rate_limit_counts_failures_in_the_audit(store_url: str, tmp_path: Path) -> None:
    build_service(store_url, tmp_path)
    from zonewatch.web.app import create_app  # the web form shares the limit

    app = create_app(Settings(store_url=store_url, run_dir=tmp_path / "run",
                              login_max_failures=3, login_window_minutes=15))
    client = TestClient(app)
    for _ in range(3):
        bad = client.post("/api/auth/login", json={"username": "ann", "password": "wrong!!!"})
        assert bad.status_code == 401
    limited = client.post("/api/auth/login", json={"username": "ann", "password": PASSWORD})
    assert limited.status_code == 429 and limited.headers["retry-after"] == "900"
    web = client.post("/login", data={"username": "ann", "password": PASSWORD})
    assert web.status_code == 429
    # another user is not affected
    assert client.post("/api/auth/login", json={"username": "ada", "password": PASSWORD}
                       ).status_code == 200
    store = Store(store_url)
    with store.session() as db:
        rows = db.scalars(select(AuditEvent).where(AuditEvent.target_id == "ann")
                          .order_by(AuditEvent.id)).all()
        tried = [(r.action, r.role, (r.detail or {}).get("limited", False)) for r in rows]
    store.dispose()
    assert tried[-5:] == [("login_failed", "-", False)] * 3 + [("login_failed", "-", True)] * 2


def test_access_log_carries_no_ids_or_search_terms(caplog) -> None:  # noqa: ANN001
    assert redact_path("/api/owners/900101300123?q=Ivanov") == "/api/owners/:id"
    assert redact_path("/property/P036.json") == "/property/:id"
    assert redact_path("/api/properties?district=D1") == "/api/properties"
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("127.0.0.1:5", "GET", "/api/owners/900101300123?q=x", "1.1", 200),
                               None)
    assert RedactAccessLog().filter(record)
    assert record.getMessage() == '127.0.0.1:5 - "GET /api/owners/:id HTTP/1.1" 200'
