"""The DuckDB backend and the dialect layer on a real in-memory DuckDB."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pytest

from zonewatch.engine import DuckDBBackend, EngineError, get_backend
from zonewatch.engine.dialect import translate


def test_register_create_fetch_and_exists(tmp_path):
    b = DuckDBBackend()
    b.register_table("t", pd.DataFrame({"k": ["a", "b", "b"], "v": [1.0, 2.0, 4.0]}))
    b.register_table("u", pa.table({"k": ["b"], "w": [10]}))
    b.create_table("s", "SELECT t.k, sum(v) AS v, max(w) AS w FROM t LEFT JOIN u USING (k) "
                        "GROUP BY t.k ORDER BY t.k")
    got = b.fetch("SELECT * FROM s ORDER BY k")
    assert got["v"].tolist() == [1.0, 6.0]
    assert got["w"].isna().tolist() == [True, False]
    assert b.table_exists("s") and not b.table_exists("nope")
    assert b.columns("s") == ["k", "v", "w"]
    pd.DataFrame({"x": [1, 2]}).to_parquet(tmp_path / "x.parquet")
    b.register_table("px", tmp_path / "x.parquet")
    assert b.fetch("SELECT sum(x) AS s FROM px")["s"].iloc[0] == 3
    arrow = b.fetch_arrow("SELECT k, DATE '2026-01-02' AS d FROM s ORDER BY k")
    assert arrow.column("k").to_pylist() == ["a", "b"]
    assert pa.types.is_date32(arrow.schema.field("d").type)  # types kept, unlike pandas


def test_failing_query_carries_its_sql():
    b = get_backend("duckdb")
    with pytest.raises(EngineError) as info:
        b.fetch("SELECT no_such_column FROM (SELECT 1 AS a)")
    assert "no_such_column" in info.value.sql
    assert "--- SQL ---" in str(info.value)


def test_unknown_engine_and_dialect_are_clear_errors():
    with pytest.raises(ValueError, match="unknown engine 'oracle'"):
        get_backend("oracle")
    with pytest.raises(NotImplementedError, match="not supported"):
        translate("SELECT 1", "oracle")


@pytest.mark.parametrize(("duck", "spark_part"), [
    ("SELECT date_diff('day', a, b) FROM t", "DATEDIFF(DAY, a, b)"),
    ("SELECT count_if(x = 1) FROM t", "COUNT_IF(x = 1)"),
    ("SELECT CAST(x AS VARCHAR) FROM t", "CAST(x AS STRING)"),
    ("SELECT median(x) FROM t", "MEDIAN(x)"),
    ("SELECT x FROM t WHERE d >= DATE '2026-08-01'", "CAST('2026-08-01' AS DATE)"),
])
def test_spark_translation_of_the_functions_indicators_use(duck, spark_part):
    assert spark_part in translate(duck, "spark")
    assert translate(duck, "duckdb") == duck
