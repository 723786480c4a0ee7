"""Speed of `zonewatch analyze`: wall time, peak memory and per-stage timings from run.json.

Usage: python benchmarks/bench_analyze.py [--persons 1100000] [--seed 1] [--workdir DIR]
                                          [--engine duckdb|spark] [--repeat 1]
                                          [--memory-limit 8GB] [--no-bare]
Generates the city once (kept in the workdir), runs the bare core query
(bench_bare_query.py) in this process as the yardstick, then `zonewatch analyze` in a
child process per repeat, and prints its stage times, peak memory, ingest rows/s and its
time as a multiple of the bare query. Targets (issue 12, 2 cores): 1.1 M persons <= 15 s,
20 M <= 120 s and <= 8 GB, ingest >= 1 M rows/s, within 3x of the bare query.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_bare_query import bare_query  # noqa: E402

CLI = "from zonewatch.cli import main; main()"
TARGET_S = {1_100_000: 15.0, 20_000_000: 120.0}
TARGET_RATIO = 3.0
TARGET_ROWS_S = 1_000_000


def run_child(cmd: list[str]) -> tuple[float, float, float]:
    """(wall seconds, peak resident MB, CPU seconds user+system) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        err = proc.stderr.read().decode()[-2000:] if proc.stderr else ""
        raise SystemExit(f"{' '.join(cmd[3:])} failed\n{err}")
    cpu = usage.ru_utime + usage.ru_stime
    return time.perf_counter() - started, usage.ru_maxrss / 1024, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "zw-bench")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--memory-limit", default=None, help="passed to analyze")
    parser.add_argument("--no-bare", action="store_true", help="skip the bare query")
    args, _unknown = parser.parse_known_args()
    persons = int(str(args.persons).split(",")[0])
    city = args.workdir / f"city_{persons}_{args.seed}"
    if not (city / "extract" / "properties.csv").is_file():
        seconds, _, _ = run_child([sys.executable, "-c", CLI, "generate", "--out", str(city),
                                "--persons", str(persons), "--seed", str(args.seed)])
        print(f"generated {persons} persons in {seconds:.1f} s -> {city}")
    cores = os.cpu_count()
    bare = None if args.no_bare else bare_query(city / "extract")
    if bare:
        print(f"bare core query: {bare['rows']} properties in {bare['seconds']:.2f} s "
              f"({bare['cpu']:.2f} s CPU), peak {bare['peak_mb']:.0f} MB (this process)")
    target = TARGET_S.get(persons, 15.0 * persons / 1_100_000)
    for i in range(args.repeat):
        out = args.workdir / f"analyze_{persons}_{args.seed}_{args.engine}"
        cmd = [sys.executable, "-c", CLI, "analyze", str(city / "extract"), "--out", str(out),
               "--engine", args.engine]
        if args.memory_limit:
            cmd += ["--memory-limit", args.memory_limit]
        seconds, peak, cpu = run_child(cmd)
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        report = json.loads((out / "ingest_report.json").read_text(encoding="utf-8"))
        rows = sum(t["rows_read"] for t in report["tables"].values())
        rate = rows / run["timings_s"]["ingest"]
        verdict = "OK" if seconds <= target else "SLOW"
        print(f"run {i + 1}: analyze {persons} persons on {args.engine}, {cores} cores: "
              f"{seconds:.1f} s wall ({verdict}, target {target:.1f} s), {cpu:.1f} s CPU, "
              f"peak {peak:.0f} MB, load average {os.getloadavg()[0]:.1f}")
        print("  stages (s): " + ", ".join(f"{k} {v}" for k, v in run["timings_s"].items()))
        print(f"  ingest: {rows} rows in {run['timings_s']['ingest']:.1f} s = {rate:,.0f} rows/s "
              f"(target {TARGET_ROWS_S:,})")
        if bare:
            ratio, cpu_ratio = seconds / bare["seconds"], cpu / max(bare["cpu"], 1e-6)
            print(f"  ratio to the bare core query: {ratio:.1f}x wall, {cpu_ratio:.1f}x CPU "
                  f"(target {TARGET_RATIO:.0f}x)")
        slow = sorted(run["indicator_timings_s"].items(), key=lambda kv: -kv[1])[:5]
        print("  slowest indicators (s): " + ", ".join(f"{k} {v}" for k, v in slow))
        print(f"  properties {run['counts']['properties']}, flagged "
              f"{run['counts']['flagged_properties']}, hits {run['counts']['hits']}, "
              f"calibration outcomes {run['calibration'].get('outcomes')}")


if __name__ == "__main__":
    main()
