"""One shared local Spark session for the engine room's Spark tests."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def spark_session():
    pytest.importorskip("pyspark")
    from zonewatch.engine.spark_backend import local_session

    spark = local_session("zonewatch-tests")
    yield spark
    spark.stop()
