"""The ingest fuzzer at scale: N corrupted extracts, every failure printed.

Usage: python benchmarks/bench_fuzz.py [--cases 10000] [--seed 0] [--workdir DIR]
Runs the corruptions of tests/ingest/fuzz_extract.py (cells, keys, columns, encodings,
bytes, Parquet types) through `ingest_extract` and checks its invariants on each; prints
each failing case as it happens, then the number of cases, the time and the cases per
corruption kind; a progress line every 500 cases. Exits 1 when any case failed.
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "ingest"))

from fuzz_extract import Case, any_case, check_case, make_base  # noqa: E402
from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from zonewatch.generate import generate_city  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None)
    args = parser.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="zw_fuzz_"))
    generate_city(work / "city", persons=500, seed=3)
    base = make_base(work / "city" / "extract", work / "clean")
    kinds: collections.Counter[str] = collections.Counter()
    failures: list[str] = []
    started = time.perf_counter()

    @seed(args.seed)
    @settings(max_examples=args.cases, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=any_case(base))
    def one(case: Case) -> None:
        family, detail = case.what.split(": ", 1)
        kinds[family if family == "parquet" else f"{family}: {detail.split()[0]}"] += 1
        for problem in check_case(base, case, work / "case"):
            failures.append(f"{case.table} ({case.what[:200]}): {problem}")
            print(f"FAIL {failures[-1]}", flush=True)
        done = sum(kinds.values())
        if done % 500 == 0:
            print(f"... {done} cases, {time.perf_counter() - started:.0f} s, "
                  f"{len(failures)} failures", flush=True)

    one()
    seconds = time.perf_counter() - started
    print(f"{sum(kinds.values())} cases in {seconds:.1f} s "
          f"({seconds / max(1, sum(kinds.values())) * 1000:.0f} ms per case), "
          f"{len(failures)} failures")
    for kind, n in sorted(kinds.items()):
        print(f"  {kind:<32}{n:>7}")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
