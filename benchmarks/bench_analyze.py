"""Speed of `zonewatch analyze`: wall time, peak memory and per-stage timings from run.json.

Usage: python benchmarks/bench_analyze.py [--persons 1100000] [--seed 1] [--workdir DIR]
                                          [--engine duckdb|spark] [--repeat 1]
Generates the city once (kept in the workdir), then runs `zonewatch analyze` in a child
process per repeat. The product target: the default 1.1M-person city in under 60 s on 2 cores.
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

CLI = "from zonewatch.cli import main; main()"
TARGET_S = 60.0


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
    args, _unknown = parser.parse_known_args()
    persons = int(str(args.persons).split(",")[0])
    city = args.workdir / f"city_{persons}_{args.seed}"
    if not (city / "extract" / "properties.csv").is_file():
        seconds, _, _ = run_child([sys.executable, "-c", CLI, "generate", "--out", str(city),
                                "--persons", str(persons), "--seed", str(args.seed)])
        print(f"generated {persons} persons in {seconds:.1f} s -> {city}")
    cores = os.cpu_count()
    for i in range(args.repeat):
        out = args.workdir / f"analyze_{persons}_{args.seed}_{args.engine}"
        seconds, peak, cpu = run_child([sys.executable, "-c", CLI, "analyze", str(city / "extract"),
                                   "--out", str(out), "--engine", args.engine])
        run = json.loads((out / "run.json").read_text(encoding="utf-8"))
        verdict = "OK" if seconds < TARGET_S else "SLOW"
        print(f"run {i + 1}: analyze {persons} persons on {args.engine}, {cores} cores: "
              f"{seconds:.1f} s wall ({verdict}, target {TARGET_S:.0f} s), {cpu:.1f} s CPU, "
              f"peak {peak:.0f} MB, load average {os.getloadavg()[0]:.1f}")
        print("  stages (s): " + ", ".join(f"{k} {v}" for k, v in run["timings_s"].items()))
        slow = sorted(run["indicator_timings_s"].items(), key=lambda kv: -kv[1])[:5]
        print("  slowest indicators (s): " + ", ".join(f"{k} {v}" for k, v in slow))
        print(f"  properties {run['counts']['properties']}, flagged "
              f"{run['counts']['flagged_properties']}, hits {run['counts']['hits']}, "
              f"calibration outcomes {run['calibration'].get('outcomes')}")


if __name__ == "__main__":
    main()
