"""The small backend interface every engine implements (after splink's database_api)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import pandas as pd
import pyarrow as pa


class EngineError(RuntimeError):
    """A query failed; the message carries the SQL that was sent."""

    def __init__(self, message: str, sql: str) -> None:
        super().__init__(f"{message}\n--- SQL ---\n{sql}")
        self.sql = sql


@runtime_checkable
class Backend(Protocol):
    """Execute DuckDB-dialect SQL, register tables, fetch results, check tables."""

    dialect: str

    def execute(self, sql: str) -> None:
        """Run a statement that returns nothing useful."""

    def create_table(self, name: str, select_sql: str) -> None:
        """Materialise `select_sql` as table `name` (replacing it)."""

    def register_table(self, name: str, data: object) -> None:
        """Make a pandas DataFrame, Arrow table or parquet path queryable as `name`."""

    def fetch(self, sql: str) -> pd.DataFrame:
        """Run a SELECT and return the result as pandas."""

    def fetch_arrow(self, sql: str) -> pa.Table:
        """Run a SELECT and return the result as an Arrow table (types kept)."""

    def table_exists(self, name: str) -> bool:
        """Whether a table or view called `name` exists."""

    def columns(self, name: str) -> list[str]:
        """Column names of a table."""
