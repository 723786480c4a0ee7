"""API latency: start uvicorn on a free local port, hammer the main list endpoints, print p50/p95.

Usage: python benchmarks/bench_api.py [--persons N] [--run RUN_DIR] [--requests R]
Without --run a city of N persons is generated and analysed first (in a temp dir).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

PY = sys.executable
ZW = [str(Path(PY).with_name("zonewatch"))]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_run(persons: int, tmp: Path) -> Path:
    t0 = time.perf_counter()
    subprocess.run([*ZW, "generate", "--out", str(tmp / "city"), "--persons", str(persons)],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*ZW, "analyze", str(tmp / "city" / "extract"), "--out", str(tmp / "run")],
                   check=True, stdout=subprocess.DEVNULL)
    print(f"generated and analysed {persons} persons in {time.perf_counter() - t0:.1f} s")
    return tmp / "run"


def wait_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    end = time.time() + timeout
    while time.time() < end:
        if proc.poll() is not None:
            raise SystemExit(f"uvicorn exited with {proc.returncode}")
        try:
            if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise SystemExit("uvicorn did not start in time")


def measure(client: httpx.Client, urls: list[str], n: int) -> list[float]:
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        res = client.get(urls[i % len(urls)])
        times.append((time.perf_counter() - t0) * 1000)
        if res.status_code != 200:
            raise SystemExit(f"{urls[i % len(urls)]}: {res.status_code} {res.text[:200]}")
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--run", type=Path, default=None)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        run = args.run or prepare_run(args.persons, tmp)
        store = f"sqlite:///{tmp / 'store.sqlite'}"
        env = {**os.environ, "ZONEWATCH_STORE": store, "ZONEWATCH_RUN": str(run),
               "ZONEWATCH_NEW_PASSWORD": "bench-password"}
        subprocess.run([*ZW, "users", "add", "bench", "--role", "analyst", "--store", store],
                       check=True, env=env, stdout=subprocess.DEVNULL)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        proc = subprocess.Popen(
            [PY, "-m", "uvicorn", "--factory", "zonewatch.service.app:app_from_env",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env=env)
        try:
            wait_up(base, proc)
            with httpx.Client(base_url=base, timeout=60) as client:
                token = client.post("/api/auth/login", json={
                    "username": "bench", "password": "bench-password"}).json()["token"]
                client.headers["Authorization"] = f"Bearer {token}"
                top = client.get("/api/properties?per_page=20").json()["items"]
                total = client.get("/api/properties?per_page=1").json()["total"]
                print(f"run {run}: {total} ranked properties; {args.requests} requests each")
                cases = {
                    "properties pages": [f"/api/properties?page={p}&per_page=50"
                                         for p in range(1, 21)],
                    "properties filtered": ["/api/properties?min_score=1&sort=score&order=desc"],
                    "properties flagged, by district": [
                        "/api/properties?flagged_only=true&sort=district&per_page=100"],
                    "owners": ["/api/owners?per_page=50"],
                    "officials": ["/api/officials?per_page=50"],
                    "networks": ["/api/networks?per_page=50"],
                    "office detail": [f"/api/offices/{o['office_id']}" for o in client.get(
                        "/api/offices?per_page=5").json()["items"]],
                    "property detail": [f"/api/properties/{p['property_id']}" for p in top],
                    "register": ["/api/register"],
                    "register evidence": ["/api/register/REG-RUBBER-FLATS/evidence"],
                    "public summary": ["/api/public/summary"],
                }
                print(f"{'endpoint':22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'req/s':>7}")
                for name, urls in cases.items():
                    measure(client, urls, 5)  # warm the caches
                    t = measure(client, urls, args.requests)
                    q = statistics.quantiles(t, n=20)
                    print(f"{name:22} {statistics.median(t):8.1f} {q[18]:8.1f} {max(t):8.1f} "
                          f"{1000 * len(t) / sum(t):7.1f}")
        finally:
            proc.terminate()
            proc.wait(timeout=30)


if __name__ == "__main__":
    main()
