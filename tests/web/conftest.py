"""Fixtures of the web room: a run directory, an app with users, a live server, a browser."""

from __future__ import annotations

import os
import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).parent))
from web_handmade import build_run  # noqa: E402
from web_support import login, make_app  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def web_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small hand-made analysis run directory."""
    return build_run(tmp_path_factory.mktemp("web") / "run")


@pytest.fixture(scope="session")
def city_run(small_city: Path) -> Path:
    """`zonewatch analyze` of the shared generated small city."""
    from zonewatch.analysis.pipeline import analyze

    out = small_city / "web_run"
    analyze(small_city / "extract", out)
    return out


@pytest.fixture(scope="session")
def web_app(web_run: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app serving the hand-made run."""
    return make_app(web_run, tmp_path_factory.mktemp("store"))


@pytest.fixture(scope="session")
def city_app(city_run: Path, tmp_path_factory: pytest.TempPathFactory) -> FastAPI:
    """The app serving the analysis of the generated small city."""
    return make_app(city_run, tmp_path_factory.mktemp("city_store"))


@pytest.fixture()
def analyst(web_app: FastAPI) -> Iterator[TestClient]:
    """A TestClient logged in as an analyst."""
    with TestClient(web_app) as client:
        yield login(client, "ana")


@pytest.fixture(scope="session")
def live_server(city_app: FastAPI) -> Iterator[str]:
    """The city app on a real uvicorn server on a free loopback port; yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(city_app, host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start within 15 s")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """Debian's Chromium driven by Playwright (never `playwright install`)."""
    if not os.access(CHROMIUM, os.X_OK) or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is absent: browser tests need Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """artifacts/screenshots/ (gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
