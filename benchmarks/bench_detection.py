"""Detection quality over several generated cities: zonewatch vs the police baselines.

Usage: python benchmarks/bench_detection.py [--seeds 1,2,3,4,5] [--persons 200000[,1100000]]
                                            [--workdir DIR]
       python benchmarks/bench_detection.py --scenarios 8 [--first 1] [--persons 100000]
For each size and seed: generate a city (kept in the workdir and reused), run
`zonewatch analyze` in a child process (seconds and peak memory of that child alone),
evaluate against the labels, and print one table with a mean row per size.
With `--scenarios N`: the scenario family instead (benchmarks/bench_scenarios.py): N cities
of the independent builder with every assumption drawn at random, and the MEAN and WORST rows.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

from zonewatch.evaluation import evaluate_run

CLI = "from zonewatch.cli import main; main()"
COLUMNS = ["persons", "seed", "k", "zw P@k", "zw AP", "police P@k", "per-m² P@k", "owners",
           "officials", "rings", "zw FP", "police FP", "analyze s", "peak MB"]


# Linux carries a process's peak RSS across fork + exec, so a child forked from a parent that
# holds a big city would report the parent's peak: the command runs under a small Python
# launcher instead and the launcher reports its own child's peak.
LAUNCHER = ("import os, subprocess, sys; p = subprocess.Popen(sys.argv[1:], "
            "stdout=subprocess.DEVNULL); _, s, u = os.wait4(p.pid, 0); "
            "print(u.ru_maxrss, file=sys.stderr); sys.exit(os.waitstatus_to_exitcode(s))")


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak resident memory in MB) of that child alone."""
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, check=False)
    took = time.perf_counter() - started
    err = proc.stderr.strip().splitlines()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd[3:])} exited {proc.returncode}\n"
                         + "\n".join(err[:-1])[-2000:])
    return took, int(err[-1]) / 1024


def one(persons: int, seed: int, workdir: Path) -> dict:
    city = workdir / f"city_{persons}_{seed}"
    if not (city / "labels" / "summary.json").is_file():
        run_child([sys.executable, "-c", CLI, "generate", "--out", str(city),
                   "--persons", str(persons), "--seed", str(seed)])
    run = workdir / f"run_{persons}_{seed}"
    seconds, peak = run_child([sys.executable, "-c", CLI, "analyze", str(city / "extract"),
                               "--out", str(run)])
    r = evaluate_run(run, city / "labels", extract=city / "extract")
    p = r["properties"]
    z, police = p["zonewatch"], p.get("most_registrants", {})
    return {
        "persons": persons, "seed": seed, "k": r["k_properties"],
        "zw P@k": z["precision_at_k"], "zw AP": z["average_precision"],
        "police P@k": police.get("precision_at_k", float("nan")),
        "per-m² P@k": p.get("most_per_m2", {}).get("precision_at_k", float("nan")),
        "owners": r["owners"]["precision_at_k"], "officials": r["officials"]["precision_at_k"],
        "rings": r["rings"]["share"],
        "zw FP": sum(z["lookalikes_in_top_k"].values()),
        "police FP": sum(police.get("lookalikes_in_top_k", {}).values()),
        "analyze s": seconds, "peak MB": peak,
        "recall": z["recall_at_k"],
    }


def fmt(row: dict) -> str:
    cells = []
    for c in COLUMNS:
        v = row[c]
        cells.append(f"{v:>11.3f}" if isinstance(v, float) and c not in ("analyze s", "peak MB")
                     else f"{v:>11.1f}" if isinstance(v, float) else f"{v!s:>11}")
    return "".join(cells)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1,2,3,4,5")
    parser.add_argument("--persons", default="200000",
                        help="comma-separated city sizes (run_all passes one)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="default /tmp/zw_bench_detection (/tmp/zw_bench_scenarios)")
    parser.add_argument("--scenarios", type=int, default=0,
                        help="run this many drawn scenarios of the unseen builder instead")
    parser.add_argument("--first", type=int, default=1, help="seed of the first scenario")
    args = parser.parse_args()
    if args.scenarios:
        from bench_scenarios import run_family  # the family imports run_child from here

        run_family(args.scenarios, args.first, int(str(args.persons).split(",")[0]),
                   args.workdir or Path("/tmp/zw_bench_scenarios"))
        return
    args.workdir = args.workdir or Path("/tmp/zw_bench_detection")
    seeds = [int(s) for s in args.seeds.split(",")]
    sizes = [int(s) for s in str(args.persons).split(",")]
    print("".join(f"{c:>11}" for c in COLUMNS))
    for persons in sizes:
        rows = []
        for seed in seeds:
            row = one(persons, seed, args.workdir)
            rows.append(row)
            print(fmt(row), flush=True)
        mean = {c: (sum(r[c] for r in rows) / len(rows) if c not in ("persons", "seed", "k")
                    else "mean" if c == "seed" else rows[0][c] if c == "persons" else
                    round(sum(r[c] for r in rows) / len(rows))) for c in COLUMNS}
        print(fmt(mean))
        kinds = sorted({k for r in rows for k in r["recall"]})
        print("  zonewatch recall within top k (mean over seeds): " + ", ".join(
            f"{k} {sum(r['recall'].get(k, 0) for r in rows) / len(rows):.2f}" for k in kinds))
    print("P@k: precision in the top k (k = true fraud properties); FP: look-alikes in the top k;"
          " rings: share of planted rings mostly inside one reported network")


if __name__ == "__main__":
    main()
