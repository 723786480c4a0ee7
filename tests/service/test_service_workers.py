"""`zonewatch serve --workers 2` under concurrent clients: no errors, no lost or doubled write,
and the audit chain written by two processes verifies. SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from svc_helpers import PASSWORD, build_service

from zonewatch.cli import main

pytestmark = pytest.mark.slow
CLIENTS = 60


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def _burst(base: str, token: str) -> list[int]:
    head = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, timeout=60, headers=head) as client:
        async def one(k: int) -> int:
            if k % 3 == 0:
                res = await client.post("/api/outcomes", json={
                    "property_id": "P1", "inspected_on": "2026-11-02", "outcome": "violation",
                    "inspection_id": f"W-{k}"})
            elif k % 3 == 1:
                res = await client.get("/api/properties/P1")
            else:
                res = await client.get("/api/owners")
            return res.status_code
        return await asyncio.gather(*(one(k) for k in range(CLIENTS)))


def test_two_workers_serve_concurrent_clients(store_url: str, tmp_path: Path) -> None:
    build_service(store_url, tmp_path)
    port = _port()
    base = f"http://127.0.0.1:{port}"
    # a small pool per worker: requests queue for a connection (the shared test server
    # has max_connections 100 for every job on the machine)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path), "ZONEWATCH_DB_POOL": "6"}
    log = (tmp_path / "serve.log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-c", "from zonewatch.cli import main; main()", "serve", "--run",
         str(tmp_path / "run"), "--store", store_url, "--port", str(port), "--workers", "2"],
        env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (tmp_path / "serve.log").read_text()[-2000:]
            try:
                if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "serve --workers 2 did not start"
            time.sleep(0.3)
        token = httpx.post(base + "/api/auth/login",
                           json={"username": "ann", "password": PASSWORD}).json()["token"]
        codes = asyncio.run(_burst(base, token))
        assert set(codes) <= {200, 201}, (codes, (tmp_path / "serve.log").read_text()[-3000:])
        saved = httpx.get(base + "/api/outcomes?property_id=P1",
                          headers={"Authorization": f"Bearer {token}"}).json()
        ids = sorted(o["inspection_id"] for o in saved if o["inspection_id"].startswith("W-"))
        assert ids == sorted(f"W-{k}" for k in range(0, CLIENTS, 3))  # none lost, none twice
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
    res = CliRunner().invoke(main, ["audit", "verify", "--store", store_url])
    assert res.exit_code == 0, res.output

