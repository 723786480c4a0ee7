"""The default backend: an in-process DuckDB connection."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from zonewatch.engine.base import EngineError


class DuckDBBackend:
    """Runs SQL on a DuckDB connection (a file, or in memory when `path` is None).

    Tables it creates are TEMP by default: working tables stay in memory, are not written to
    the database file, and vanish with the connection; pass `temporary=False` to persist them.
    """

    dialect = "duckdb"

    def __init__(
        self,
        path: str | Path | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        temporary: bool = True,
    ) -> None:
        self.con = con if con is not None else duckdb.connect(str(path) if path else ":memory:")
        self._kind = "TEMP TABLE" if temporary else "TABLE"

    def execute(self, sql: str) -> None:
        try:
            self.con.execute(sql)
        except duckdb.Error as exc:
            raise EngineError(str(exc), sql) from exc

    def create_table(self, name: str, select_sql: str) -> None:
        self.execute(f"CREATE OR REPLACE {self._kind} {name} AS {select_sql}")

    def register_table(self, name: str, data: object) -> None:
        if isinstance(data, (str, Path)):
            path = str(data).replace("'", "''")
            self.create_table(name, f"SELECT * FROM read_parquet('{path}')")
            return
        self.con.register("__zw_incoming", data)
        try:
            self.create_table(name, "SELECT * FROM __zw_incoming")
        finally:
            self.con.unregister("__zw_incoming")

    def fetch(self, sql: str) -> pd.DataFrame:
        try:
            return self.con.execute(sql).df()
        except duckdb.Error as exc:
            raise EngineError(str(exc), sql) from exc

    def fetch_arrow(self, sql: str) -> pa.Table:
        try:
            return self.con.execute(sql).to_arrow_table()
        except duckdb.Error as exc:
            raise EngineError(str(exc), sql) from exc

    def table_exists(self, name: str) -> bool:
        rows = self.con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
        ).fetchall()
        return bool(rows[0][0])

    def columns(self, name: str) -> list[str]:
        rows = self.con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = ? "
            "ORDER BY ordinal_position",
            [name],
        ).fetchall()
        return [r[0] for r in rows]
