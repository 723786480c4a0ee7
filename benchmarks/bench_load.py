"""Concurrent load on loopback: N clients at once, mixed reads and writes, bounded in count
and time; prints requests/s, p50/p95 and errors per client count, and checks that no write
was lost or doubled.

Usage: python benchmarks/bench_load.py --run RUN_DIR [--stores sqlite,postgresql]
           [--pg-url URL] [--clients 1,40,100,200] [--requests-per-client 10]
           [--think-ms 0] [--time-limit 60] [--workers 1]
Each store gets a fresh server: SQLite a fresh file, PostgreSQL a fresh schema of --pg-url
(default env ZONEWATCH_TEST_PG_URL), dropped afterwards. The server is `zonewatch serve` on
127.0.0.1 only. Clients send back to back (--think-ms 0) or pause between requests.
The mix per client: properties pages (40%), owners page (10%), property detail (30%, a read
of personal data, so also an audit write), register (10%), a recorded outcome (10%).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, func, select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from stores import fresh_store_url  # noqa: E402  (a test helper, not part of the package)

PY = sys.executable
ZW = [PY, "-c", "from zonewatch.cli import main; main()"]
MIX = ["list"] * 4 + ["owners"] + ["detail"] * 3 + ["register"] + ["write"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_up(base: str, proc: subprocess.Popen, timeout: float = 120) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    raise SystemExit("server did not start in time")


async def one_client(client: httpx.AsyncClient, k: int, n: int, ids: list[str], deadline: float,
                     out: dict, think: float) -> None:
    for i in range(n):
        if think and i:
            await asyncio.sleep(think)
        if time.monotonic() > deadline:
            out["skipped"] += n - i
            return
        kind = MIX[(k + i) % len(MIX)]
        if kind == "list":
            req = client.get(f"/api/properties?page={1 + (k + i) % 20}&per_page=50")
        elif kind == "owners":
            req = client.get("/api/owners?per_page=50")
        elif kind == "detail":
            req = client.get(f"/api/properties/{ids[(k * 7 + i) % len(ids)]}")
        elif kind == "register":
            req = client.get("/api/register")
        else:
            req = client.post("/api/outcomes", json={
                "property_id": ids[(k + i) % len(ids)], "inspected_on": "2026-11-02",
                "outcome": "no_violation", "inspection_id": f"LOAD-{out['round']}-{k}-{i}"})
        t0 = time.perf_counter()
        try:
            res = await req
            ok = res.status_code < 400
            if kind == "write" and res.status_code == 201:
                out["written"] += 1
        except httpx.HTTPError as exc:
            ok, res = False, exc
        ms = (time.perf_counter() - t0) * 1000
        out["read_ms" if kind != "write" else "write_ms"].append(ms)
        if not ok:
            out["errors"].append(str(getattr(res, "status_code", type(res).__name__)))


async def run_round(base: str, token: str, clients: int, n: int, ids: list[str],
                    time_limit: float, round_no: int, think: float) -> dict:
    out = {"read_ms": [], "write_ms": [], "errors": [], "written": 0, "skipped": 0,
           "round": round_no}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=30, limits=limits,
                                 headers={"Authorization": f"Bearer {token}"}) as client:
        deadline = time.monotonic() + time_limit
        t0 = time.perf_counter()
        await asyncio.gather(*(one_client(client, k, n, ids, deadline, out, think)
                               for k in range(clients)))
        out["seconds"] = time.perf_counter() - t0
    return out


def pct(values: list[float], q: int) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100)[q - 1]


def count_outcomes(store: str, round_no: int) -> int:
    from zonewatch.store.models import InspectionOutcome

    engine = create_engine(store)
    with engine.connect() as conn:
        n = conn.scalar(select(func.count()).select_from(InspectionOutcome).where(
            InspectionOutcome.inspection_id.like(f"LOAD-{round_no}-%")))
    engine.dispose()
    return int(n or 0)


HEADER = (f"{'store':>10} {'clients':>7} {'req/s':>7} {'read p50':>9} {'read p95':>9} "
          f"{'write p95':>9} {'errors':>7} {'skipped':>7} {'writes ok/stored':>17}")


def bench_store(args: argparse.Namespace, backend: str) -> None:
    """Start a server on a fresh store of `backend` and print one line per client count."""
    if backend == "postgresql":
        os.environ["ZONEWATCH_TEST_PG_URL"] = args.pg_url
    with tempfile.TemporaryDirectory() as tmp, fresh_store_url(backend, Path(tmp)) as store:
        env = {**os.environ, "ZONEWATCH_STORE": store, "ZONEWATCH_NEW_PASSWORD": "bench-pass",
               "ZONEWATCH_PASSWORD_PROFILE": "cheapest", "ZONEWATCH_LOGIN_MAX_FAILURES": "1000"}
        subprocess.run([*ZW, "db", "upgrade", "--store", store], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        user = f"load{os.getpid()}"
        subprocess.run([*ZW, "users", "add", user, "--role", "analyst", "--store", store],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        workers = ["--workers", str(args.workers)] if args.workers > 1 else []
        proc = subprocess.Popen([*ZW, "serve", "--run", str(args.run), "--store", store,
                                 "--host", "127.0.0.1", "--port", str(port), *workers],
                                env=env, stdout=subprocess.DEVNULL)
        try:
            wait_up(base, proc)
            token = httpx.post(base + "/api/auth/login", json={
                "username": user, "password": "bench-pass"}).json()["token"]
            head = {"Authorization": f"Bearer {token}"}
            ids = [p["property_id"] for p in httpx.get(
                base + "/api/properties?per_page=200", headers=head, timeout=60).json()["items"]]
            for warm in ("/api/properties?per_page=50", "/api/owners?per_page=50",
                         f"/api/properties/{ids[0]}", "/api/register"):
                httpx.get(base + warm, headers=head, timeout=120)
            for round_no, clients in enumerate(int(c) for c in args.clients.split(",")):
                r = asyncio.run(run_round(base, token, clients, args.requests_per_client, ids,
                                          args.time_limit, round_no, args.think_ms / 1000))
                done = len(r["read_ms"]) + len(r["write_ms"])
                stored = count_outcomes(store, round_no)
                kinds = sorted(set(r["errors"]))
                print(f"{backend:>10} {clients:7d} {done / r['seconds']:7.1f} "
                      f"{pct(r['read_ms'], 50):9.1f} {pct(r['read_ms'], 95):9.1f} "
                      f"{pct(r['write_ms'], 95):9.1f} {len(r['errors']):7d} {r['skipped']:7d} "
                      f"{r['written']:>8}/{stored:<8}" + (f" {kinds}" if kinds else ""),
                      flush=True)
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--run", type=Path, required=True)
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--pg-url", default=os.environ.get("ZONEWATCH_TEST_PG_URL"))
    parser.add_argument("--clients", default="1,40,100,200")
    parser.add_argument("--requests-per-client", type=int, default=10)
    parser.add_argument("--think-ms", type=float, default=0.0,
                        help="pause of each client between its requests")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per round")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    stores = args.stores.split(",")
    if "postgresql" in stores and not args.pg_url:
        raise SystemExit("postgresql needs --pg-url or env ZONEWATCH_TEST_PG_URL")
    print(f"workers {args.workers}, run {args.run.name}, {args.requests_per_client} requests "
          f"per client, think {args.think_ms:.0f} ms, {args.time_limit:.0f} s cap")
    print(HEADER)
    for backend in stores:
        bench_store(args, backend)


if __name__ == "__main__":
    main()
