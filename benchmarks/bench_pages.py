"""p50/p95 latency of every web page (HTML and .json) on loopback, on a generated city.

Usage: python benchmarks/bench_pages.py [--persons N] [--run RUN_DIR] [--repeat K]
Without --run it generates a city of N persons (default 20,000) and analyses it first.
The server is a real uvicorn on 127.0.0.1; requests are sequential (one analyst). `first` is
the first request of a page (caches cold), p50/p95 are over the following ones.
"""

from __future__ import annotations

import argparse
import csv
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from zonewatch.service.auth import create_user
from zonewatch.service.places import warm_places
from zonewatch.service.settings import Settings
from zonewatch.web.app import create_app, warm_pages


def first(path: Path, column: str) -> str:
    with path.open(encoding="utf-8") as fh:
        return next(csv.DictReader(fh))[column]


def pages(run: Path) -> list[str]:
    return ["/overview", "/inspection", "/inspection?sort=score&dir=desc&limit=500",
            "/networks", "/register", "/register/REG-RUBBER-FLATS", "/plans",
            f"/property/{first(run / 'properties_ranked.csv', 'property_id')}",
            f"/owner/{first(run / 'owners_ranked.csv', 'owner_id')}",
            f"/official/{first(run / 'officials_ranked.csv', 'official_id')}",
            f"/office/{first(run / 'offices_ranked.csv', 'office_id')}",
            f"/network/{first(run / 'networks.csv', 'network_id')}"]


def prepare_run(persons: int, work: Path) -> Path:
    from zonewatch.analysis.pipeline import analyze
    from zonewatch.generate import generate_city

    started = time.perf_counter()
    generate_city(work / "city", persons=persons, seed=7)
    analyze(work / "city" / "extract", work / "run")
    print(f"generated and analysed {persons} persons in {time.perf_counter() - started:.1f} s")
    return work / "run"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=20000)
    parser.add_argument("--run", type=Path, default=None)
    parser.add_argument("--repeat", type=int, default=20)
    args, _ = parser.parse_known_args()
    with tempfile.TemporaryDirectory(prefix="bench_pages_") as tmp:
        return run_bench(args, Path(tmp))


def run_bench(args: argparse.Namespace, work: Path) -> int:
    """Serve the run from a fresh store in `work` and time every page."""
    run = args.run or prepare_run(args.persons, work)
    started = time.perf_counter()
    app = create_app(Settings.from_env(store=f"sqlite:///{work / 'store.sqlite'}", run=run))
    print(f"app start (store migrate, run load): {time.perf_counter() - started:.2f} s")
    started = time.perf_counter()
    # the app warms in the background; measure once it is done
    warm_pages(app.state.web_run)
    warm_places(app.state.zonewatch.run)
    print(f"warming (background at start): {time.perf_counter() - started:.2f} s")
    with app.state.zonewatch.store.session() as session:
        create_user(session, "bench", "bench-password", "analyst")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
        client.post("/login", data={"username": "bench", "password": "bench-password"})
        print(f"{'page':58} {'first':>8} {'p50 ms':>8} {'p95 ms':>8} {'KB':>7}")
        for path in pages(run):
            for variant in (path, path.replace("?", ".json?") if "?" in path else path + ".json"):
                times, size = [], 0
                for _ in range(args.repeat):
                    t0 = time.perf_counter()
                    response = client.get(variant)
                    times.append((time.perf_counter() - t0) * 1000)
                    if response.status_code != 200:
                        print(f"{variant}: HTTP {response.status_code} {response.text[:200]}")
                        return 1
                    size = len(response.content)
                first, rest = times[0], times[1:] or times
                p95 = statistics.quantiles(rest, n=20)[-1] if len(rest) > 1 else rest[0]
                print(f"{variant[:58]:58} {first:8.1f} {statistics.median(rest):8.1f} "
                      f"{p95:8.1f} {size / 1024:7.1f}")
    server.should_exit = True
    return 0


if __name__ == "__main__":
    sys.exit(main())
