"""One body, two engines: the owner/official/office YAML indicators agree on Spark."""

from __future__ import annotations

import pandas as pd
import pytest
from nw_city import AS_OF, build_city

from zonewatch.engine.duckdb_backend import DuckDBBackend
from zonewatch.indicators import load_indicators, load_settings, prepare, run_indicators

pytestmark = pytest.mark.spark
ENTITIES = ("owner", "official", "office")


def _run(backend, tables: set[str]):
    settings = load_settings()
    prepare(backend, tables, AS_OF, settings)
    mine = [i for i in load_indicators() if i.entity in ENTITIES]
    return run_indicators(backend, mine, tables, AS_OF, settings)


def _normalise(hits: pd.DataFrame) -> pd.DataFrame:
    out = hits.sort_values(["indicator_id", "entity_id"]).reset_index(drop=True)
    for col in ("value", "threshold", "score", "strength"):
        out[col] = pd.to_numeric(out[col]).astype(float).round(6)
    return out


def test_entity_indicators_agree_on_duckdb_and_spark(spark_session) -> None:
    from zonewatch.engine.spark_backend import SparkBackend

    con = build_city().connect()
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    spark = SparkBackend(spark_session)
    for name in sorted(tables):
        spark.register_table(name, con.sql(f"SELECT * FROM {name}").to_arrow_table())
    duck = _run(DuckDBBackend(con=con), tables)
    sprk = _run(spark, tables)
    assert duck.skipped == {} and sprk.skipped == {}, (duck.skipped, sprk.skipped)
    assert {"official_no_consent", "owner_stranger_households"} <= set(duck.hits["indicator_id"])
    pd.testing.assert_frame_equal(_normalise(duck.hits), _normalise(sprk.hits))
