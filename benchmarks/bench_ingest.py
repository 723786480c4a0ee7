"""Ingest speed: rows per second for `ingest_extract` on a generated city.

Usage: python benchmarks/bench_ingest.py [--persons 200000] [--workdir /tmp/zw_bench]
Generates the city once with `zonewatch generate` (reused on later runs), then ingests it
and prints rows read, seconds and rows per second, total and per table.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import time
from pathlib import Path

from zonewatch.ingest import ingest_extract


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/zw_bench"))
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    city = args.workdir / f"city_{args.persons}_{args.seed}"
    extract = city / "extract"
    if not extract.is_dir():
        cli = "from zonewatch.cli import main; main()"
        cmd = [sys.executable, "-c", cli, "generate", "--out", str(city),
               "--persons", str(args.persons), "--seed", str(args.seed)]  # fmt: skip
        started = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        print(f"generated {extract} in {time.perf_counter() - started:.1f}s")
    size = sum(p.stat().st_size for p in extract.iterdir()) / 1e6
    for _ in range(args.repeat):
        started, cpu = time.perf_counter(), _cpu()
        report = ingest_extract(extract, args.workdir / "bench.duckdb")
        seconds, cpu = time.perf_counter() - started, _cpu() - cpu
        print(f"ingest {args.persons} persons: {report.rows_read} rows ({size:.0f} MB CSV) in "
              f"{seconds:.2f}s = {report.rows_read / seconds:,.0f} rows/s; "
              f"quarantined {report.rows_quarantined}; CPU {cpu:.1f}s "
              f"(load-independent; the machine's other work slows wall time)")  # fmt: skip
    for name, t in report.tables.items():
        print(f"  {name:<16}{t.rows_read:>10} read {t.rows_quarantined:>7} quarantined")


if __name__ == "__main__":
    main()
