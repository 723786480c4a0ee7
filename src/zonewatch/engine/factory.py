"""Choose a backend by name, so commands can offer `--engine duckdb|spark`."""

from __future__ import annotations

from pathlib import Path

from zonewatch.engine.base import Backend
from zonewatch.engine.duckdb_backend import DuckDBBackend

ENGINES = ("duckdb", "spark")


def get_backend(name: str = "duckdb", path: str | Path | None = None,
                spark_master: str | None = None) -> Backend:
    """A backend by name; Spark (on `spark_master`, default local[*]) is imported only
    when asked for."""
    if name == "duckdb":
        return DuckDBBackend(path)
    if name == "spark":
        from zonewatch.engine.spark_backend import SparkBackend

        return SparkBackend() if spark_master is None else SparkBackend(master=spark_master)
    raise ValueError(f"unknown engine {name!r}; choose one of {ENGINES}")
