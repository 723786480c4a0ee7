"""Shared pytest fixtures: the ones every room needs live here (a store on both databases, one
Spark session); each room adds its own in tests/<room>/conftest.py. Helpers shared by rooms'
tests (`stores.py`, `tiny_run.py`) sit beside this file, out of the package."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from stores import fresh_store_url

SHARED = Path(__file__).resolve().parents[2] / "shared"

# cheap argon2 parameters for the many test users (production keeps RFC 9106 defaults)
os.environ.setdefault("ZONEWATCH_PASSWORD_PROFILE", "cheapest")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the checkout (data contract, real data)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: tests that read shared/ cannot run")
    return SHARED


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated city of ~4,000 persons (seed 7): DIR/extract/*.csv and DIR/labels/*."""
    from zonewatch.generate import generate_city

    out = tmp_path_factory.mktemp("small_city")
    generate_city(out, persons=4000, seed=7)
    return out


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty store; every test using it runs on both databases."""
    with fresh_store_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="session")
def spark_session() -> Iterator[object]:
    """One local Spark session for the whole test run (UI off, small-data settings)."""
    pytest.importorskip("pyspark")
    from zonewatch.engine.spark_backend import SMALL_DATA_CONF, local_session

    spark = local_session("zonewatch-tests", conf=SMALL_DATA_CONF)
    yield spark
    spark.stop()
