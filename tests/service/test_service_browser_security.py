"""Real Chromium on a real uvicorn: Swagger UI renders under the CSP from packaged files only,
and a stored XSS payload shown on pages never runs."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import uvicorn
from svc_helpers import PASSWORD, build_service

from zonewatch.service import Settings

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, dict, dict]]:
    """The full app on SQLite on a loopback port, with a stored XSS payload in the register."""
    from zonewatch.web.app import create_app

    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    api, h, plan = build_service(url, tmp_path)
    res = api.post("/api/register", headers=h["analyst"], json={"entry": {
        "code": "REG-XSS", "title": "<img src=x onerror=alert(1)>", "summary": "<script>alert(2)"
        "</script>", "zone": "z", "nature": "systemic", "likelihood": 2, "impact": 2,
        "status": "identified"}, "reason": "\"><svg onload=alert(3)>"})
    assert res.status_code == 201
    app = create_app(Settings(store_url=url, run_dir=tmp_path / "run"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", h, plan
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def tab(served: tuple[str, dict, dict]) -> Iterator[object]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"{CHROMIUM} is absent")
    from playwright.sync_api import sync_playwright

    base = served[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_context(base_url=base).new_page()
        page.seen = {"errors": [], "dialogs": [], "hosts": set()}
        page.on("console", lambda m: page.seen["errors"].append(m.text)
                if m.type == "error" else None)
        page.on("pageerror", lambda exc: page.seen["errors"].append(str(exc)))
        page.on("request", lambda r: page.seen["hosts"].add(urlsplit(r.url).netloc))

        def dialog(d) -> None:  # noqa: ANN001
            page.seen["dialogs"].append(d.message)
            d.dismiss()

        page.on("dialog", dialog)
        yield page
        browser.close()


def test_swagger_ui_renders_under_the_csp_without_outside_requests(tab, served) -> None:  # noqa: ANN001
    base = served[0]
    tab.goto("/api/docs")
    tab.locator(".opblock-summary").first.wait_for(timeout=20_000)
    assert tab.locator(".opblock-summary").count() > 20  # every route listed
    assert "zonewatch" in tab.locator(".title").first.inner_text()
    assert tab.seen["hosts"] == {urlsplit(base).netloc}  # nothing fetched from elsewhere
    assert tab.seen["errors"] == []


def test_stored_xss_never_runs(tab) -> None:  # noqa: ANN001
    tab.goto("/login")
    tab.fill("input[name=username]", "ann")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/overview")
    for url in ("/register", "/register/REG-XSS", "/login?next=%22%3E%3Cscript%3Ealert(4)"
                "%3C%2Fscript%3E", "/inspection?q=%3Cimg%20src%3Dx%20onerror%3Dalert(5)%3E"):
        tab.goto(url)
        tab.wait_for_load_state("load")
    tab.goto("/register/REG-XSS")
    assert "<img src=x onerror=alert(1)>" in tab.locator("body").inner_text()  # shown as text
    assert tab.locator("img[src=x]").count() == 0
    assert tab.seen["dialogs"] == []
