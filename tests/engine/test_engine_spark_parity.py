"""One body, two engines: every indicator gives identical results on DuckDB and Spark."""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "indicators"))
from golden_extract import AS_OF, golden_city  # noqa: E402

from zonewatch.analysis.inputs import make_backend, present_tables  # noqa: E402
from zonewatch.engine.spark_backend import SparkBackend  # noqa: E402
from zonewatch.indicators import (  # noqa: E402
    load_indicators,
    load_settings,
    prepare,
    run_indicators,
)
from zonewatch.ingest import ingest_extract  # noqa: E402

pytestmark = pytest.mark.spark


def _normalise(hits: pd.DataFrame) -> pd.DataFrame:
    out = hits.sort_values(["indicator_id", "entity_id"]).reset_index(drop=True)
    for col in ("value", "threshold", "score", "strength"):
        out[col] = pd.to_numeric(out[col]).astype(float).round(6)
    return out


def _run(backend, tables):
    settings = load_settings()
    prepare(backend, tables, AS_OF, settings)
    return run_indicators(backend, load_indicators(), tables, AS_OF, settings)


def test_duckdb_and_spark_agree(tmp_path, spark_session):
    ingest_extract(golden_city().write(tmp_path / "ext"), tmp_path / "g.duckdb", AS_OF)
    con = duckdb.connect(str(tmp_path / "g.duckdb"))
    tables = present_tables(con)
    duck = _run(make_backend("duckdb", con, tables), tables)
    spark = SparkBackend(spark_session)
    for name in sorted(tables):
        spark.register_table(name, con.execute(f"SELECT * FROM {name}").to_arrow_table())
    sprk = _run(spark, tables)
    con.close()
    assert duck.skipped == {} and sprk.skipped == {}, (duck.skipped, sprk.skipped)
    assert sorted(duck.ran) == sorted(sprk.ran)
    assert len(duck.hits) > 10
    pd.testing.assert_frame_equal(_normalise(duck.hits), _normalise(sprk.hits))
