"""The ingest fuzzer: corrupted extracts never crash ingest, lose a row or hide where.

The quick variant runs FUZZ_QUICK cases in CI; the `slow` one runs FUZZ_FULL (10,000)
when ZONEWATCH_FUZZ_FULL is set (about 25 min, too long for CI);
`benchmarks/bench_fuzz.py` runs any number and prints every failure instead of stopping.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fuzz_extract import Base, Case, any_case, check_case, make_base
from hypothesis import HealthCheck, given, settings

FUZZ_QUICK = int(os.environ.get("ZONEWATCH_FUZZ_CASES", "100"))
FUZZ_FULL = 10_000


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    """The first rows of a generated 500-person city (the generator's minimum)."""
    from zonewatch.generate import generate_city

    city = tmp_path_factory.mktemp("fuzz_city")
    generate_city(city, persons=500, seed=3)
    return make_base(city / "extract", tmp_path_factory.mktemp("fuzz_clean"))


def _run(base: Base, work: Path, cases: int) -> None:
    @settings(max_examples=cases, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=any_case(base))
    def one(case: Case) -> None:
        problems = check_case(base, case, work)
        assert not problems, f"{case.table} ({case.what}): {problems}"

    one()


def test_fuzzed_extracts_quick(base: Base, tmp_path: Path) -> None:
    _run(base, tmp_path, FUZZ_QUICK)


@pytest.mark.slow
@pytest.mark.skipif(not os.environ.get("ZONEWATCH_FUZZ_FULL"),
                    reason="the 10,000-case run takes ~25 min: set ZONEWATCH_FUZZ_FULL=1 "
                           "or run benchmarks/bench_fuzz.py")
def test_fuzzed_extracts_full(base: Base, tmp_path: Path) -> None:
    _run(base, tmp_path, FUZZ_FULL)
