"""The engine room: run SQL written once (DuckDB dialect) on DuckDB or Spark.

Callers use the `Backend` protocol only; `get_backend` picks an implementation so the rest of
zonewatch never imports duckdb- or spark-specific code.
"""

from zonewatch.engine.base import Backend, EngineError
from zonewatch.engine.duckdb_backend import DuckDBBackend
from zonewatch.engine.factory import get_backend

__all__ = ["Backend", "DuckDBBackend", "EngineError", "get_backend"]
