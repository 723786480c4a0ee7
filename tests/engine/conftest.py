"""One shared local Spark session for the engine room's Spark tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark_session():
    pytest.importorskip("pyspark")
    from zonewatch.engine.spark_backend import SMALL_DATA_CONF, local_session

    spark = local_session("zonewatch-tests", conf=SMALL_DATA_CONF)
    yield spark
    spark.stop()
