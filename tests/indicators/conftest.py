"""Fixtures of the indicators room: the golden city, ingested and evaluated once."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from golden_extract import AS_OF, golden_city

from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, load_settings, prepare, run_indicators
from zonewatch.ingest import ingest_extract


def evaluate(extract: Path, db: Path, settings: dict | None = None):
    """Ingest `extract` into `db` and run every property indicator; returns (run, con)."""
    ingest_extract(extract, db, AS_OF)
    con = duckdb.connect(str(db))
    backend = DuckDBBackend(con=con)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    settings = settings or load_settings()
    prepare(backend, tables, AS_OF, settings)
    props = [i for i in load_indicators() if i.entity == "property"]
    return run_indicators(backend, props, tables, AS_OF, settings), con


@pytest.fixture(scope="module")
def golden_run(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("golden")
    run, con = evaluate(golden_city().write(root / "extract"), root / "g.duckdb")
    yield run, con
    con.close()
