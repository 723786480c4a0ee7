"""Fixtures of the indicators room: the golden city, ingested and evaluated once."""

from __future__ import annotations

import pytest
from golden_extract import evaluate, golden_city


@pytest.fixture(scope="module")
def golden_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("golden")
    run, con = evaluate(golden_city().write(root / "extract"), root / "g.duckdb")
    yield run, con
    con.close()
