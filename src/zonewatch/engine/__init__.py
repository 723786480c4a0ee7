"""The engine room: run SQL written once (DuckDB dialect) on DuckDB or Spark.

Callers use the `Backend` protocol only; `get_backend` picks an implementation so the rest of
zonewatch never imports duckdb- or spark-specific code. The names below load on first use,
so that `zonewatch.engine.resources` (used by ingest) does not pull in pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Backend": "zonewatch.engine.base",
    "EngineError": "zonewatch.engine.base",
    "DuckDBBackend": "zonewatch.engine.duckdb_backend",
    "get_backend": "zonewatch.engine.factory",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'zonewatch.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(_EXPORTS[name]), name)
