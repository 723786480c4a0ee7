"""The Spark backend's working tables on a real local Spark session."""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = pytest.mark.spark
CHAIN = 12  # working tables, each built from the one before (prepare builds nine)


@pytest.fixture()
def backend(spark_session):
    from zonewatch.engine.spark_backend import SparkBackend

    return SparkBackend(spark_session)


def _analysed_plan(backend, name: str) -> str:
    return backend.spark.table(name)._jdf.queryExecution().analyzed().toString()


def test_working_table_is_a_snapshot_with_a_short_plan(backend):
    backend.register_table("src", pd.DataFrame({"k": ["a", "b", "b"], "v": [1, 2, 4]}))
    backend.create_table("w0", "SELECT k, sum(v) AS v FROM src GROUP BY k")
    for i in range(1, CHAIN):  # each joins the one before to itself, as indicators do
        backend.create_table(f"w{i}", f"SELECT a.k, a.v + b.v AS v FROM w{i - 1} a "
                                      f"JOIN w{i - 1} b ON a.k = b.k")
    last = f"w{CHAIN - 1}"
    got = backend.fetch(f"SELECT k, v FROM {last} ORDER BY k")
    assert got["v"].tolist() == [1 * 2 ** (CHAIN - 1), 6 * 2 ** (CHAIN - 1)]
    # the view holds the rows, not the recipe: its plan names none of the tables before it
    plan = _analysed_plan(backend, last)
    assert "w0" not in plan and "src" not in plan and len(plan) < 2_000, plan[:500]
    # and it was computed when built: replacing what it was built from changes nothing
    backend.register_table("src", pd.DataFrame({"k": ["a"], "v": [100]}))
    assert backend.fetch("SELECT sum(v) AS v FROM w0")["v"].iloc[0] == 7
