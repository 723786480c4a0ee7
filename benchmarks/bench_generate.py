"""Generator speed and realism: persons, rows per table, seconds, peak memory, m² per resident.

Usage: python benchmarks/bench_generate.py [--persons 1100000] [--seed 1] [--workdir DIR]
Runs `zonewatch generate` in a child process (so its peak memory is measured alone), then
compares the generated m² of dwellings per resident with the real Moscow housing register.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from zonewatch.generate.realism import (
    generated_m2_per_resident,
    quantile_table,
    real_m2_per_resident,
)

REAL = Path(__file__).resolve().parents[2] / "shared/data/real/housedata_msk_20140323.csv.gz"
CLI = "from zonewatch.cli import main; main()"


def run_child(cmd: list[str]) -> tuple[float, float]:
    """Run a command; return (seconds, peak resident memory in MB) of that child alone."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} exited {proc.returncode}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zw_bench_generate"))
    parser.add_argument("--keep", action="store_true", help="keep the generated city")
    args = parser.parse_args()

    out = args.workdir / f"city_{args.persons}_{args.seed}"
    shutil.rmtree(out, ignore_errors=True)
    cmd = [sys.executable, "-c", CLI, "generate", "--out", str(out),
           "--persons", str(args.persons), "--seed", str(args.seed)]
    seconds, peak = run_child(cmd)
    summary = json.loads((out / "labels" / "summary.json").read_text())
    size = sum(p.stat().st_size for p in (out / "extract").iterdir()) / 1e6
    print(f"generate --persons {args.persons} --seed {args.seed}: {summary['persons']:,} persons"
          f" in {seconds:.1f}s wall ({summary['seconds']:.1f}s inside), peak {peak:,.0f} MB,"
          f" {size:,.0f} MB of CSV; {args.persons / 1e6 / seconds * 60:.1f}M persons/min")
    for table, rows in summary["tables"].items():
        print(f"  {table:<16}{rows:>12,}")
    print(f"  broken rows {summary['broken_rows']}, fraud properties "
          + ", ".join(f"{k} {v}" for k, v in summary["fraud_properties"].items()))
    if REAL.is_file():
        table = quantile_table(real_m2_per_resident(REAL),
                               generated_m2_per_resident(out / "extract", summary["as_of"]))
        print("m² of dwellings per resident, per apartment building (real = Moscow 2014):")
        print(table.to_string(index=False))
    else:
        print(f"real register not found at {REAL}: realism comparison skipped")
    if not args.keep:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
