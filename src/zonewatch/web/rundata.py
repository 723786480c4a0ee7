"""Open an analysis run directory (docs/architecture.md) as one read-only DuckDB view.

The ranked CSVs become tables `r_properties`, `r_owners`, `r_officials`, `r_offices`,
`r_networks`, `r_evidence`; the run's ingested database is attached as `db`. Pages query
these with SQL through `RunData.rows`, each request on its own cursor.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb

# table name -> (file, columns in the contract / architecture order)
RUN_FILES: dict[str, tuple[str, list[str]]] = {
    "r_properties": ("properties_ranked.csv", ["rank", "property_id", "score", "registered",
                                               "area_m2", "indicators", "explanation"]),
    "r_owners": ("owners_ranked.csv", ["rank", "owner_id", "score", "properties", "indicators",
                                       "explanation"]),
    "r_officials": ("officials_ranked.csv", ["rank", "official_id", "office_id", "score",
                                             "indicators", "explanation"]),
    "r_offices": ("offices_ranked.csv", ["rank", "office_id", "score", "indicators",
                                         "explanation"]),
    "r_networks": ("networks.csv", ["network_id", "score", "members", "explanation"]),
    "r_evidence": ("evidence.csv", ["entity_type", "entity_id", "indicator_id", "value",
                                    "threshold", "score", "evidence"]),
}
COLUMN_TYPES: dict[str, str] = {
    "rank": "BIGINT", "score": "DOUBLE", "registered": "BIGINT", "area_m2": "DOUBLE",
    "properties": "BIGINT", "value": "DOUBLE", "threshold": "DOUBLE",
}


class RunDirError(ValueError):
    """The folder is not an analysis run directory."""


class RunData:
    """One analysis run, loaded once and queried by many requests."""

    def __init__(self, run_dir: Path | str) -> None:
        self.run_dir = Path(run_dir)
        if not (self.run_dir / "properties_ranked.csv").is_file():
            raise RunDirError(
                f"{self.run_dir} is not an analysis run: properties_ranked.csv is missing "
                "(run `zonewatch analyze EXTRACT --out RUN` first)")
        self._con = duckdb.connect()
        self._lock = threading.RLock()
        self._cache: dict[str, Any] = {}
        self._stamp = self._mtimes()
        self._unreadable: tuple[float, ...] | None = None
        self.meta: dict[str, Any] = _read_json(self.run_dir / "run.json")
        self.ingest_report: dict[str, Any] = _read_json(self.run_dir / "ingest_report.json")
        for table, (name, columns) in RUN_FILES.items():
            self._load_csv(table, self.run_dir / name, columns)
        db_file = self.run_dir / "zonewatch.duckdb"
        self.db_tables: set[str] = set()
        if db_file.is_file():
            self._con.execute(f"ATTACH '{_quote(db_file)}' AS db (READ_ONLY)")
            found = self._con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'db'"
            ).fetchall()
            self.db_tables = {row[0] for row in found}

    def _load_csv(self, table: str, path: Path, columns: list[str]) -> None:
        if not path.is_file() or path.stat().st_size == 0:
            cols = ", ".join(f"{c} {COLUMN_TYPES.get(c, 'VARCHAR')}" for c in columns)
            self._con.execute(f"CREATE TABLE {table} ({cols})")
            return
        present = [c[0] for c in self._con.execute(
            f"DESCRIBE SELECT * FROM read_csv('{_quote(path)}', header=true, all_varchar=true)"
        ).fetchall()]
        missing = [c for c in columns if c not in present]
        if missing:
            raise RunDirError(f"{path} lacks the column(s) {', '.join(missing)}")
        select = ", ".join(
            f"TRY_CAST({_ident(c)} AS {COLUMN_TYPES[c]}) AS {_ident(c)}" if c in COLUMN_TYPES
            else _ident(c) for c in present)
        self._con.execute(
            f"CREATE TABLE {table} AS SELECT {select} FROM "
            f"read_csv('{_quote(path)}', header=true, all_varchar=true)")

    def _mtimes(self) -> tuple[float, ...]:
        files = [self.run_dir / name for name, _ in RUN_FILES.values()]
        return tuple(f.stat().st_mtime if f.is_file() else 0.0 for f in files)

    def stale(self) -> bool:
        """True when `zonewatch analyze` has rewritten the run since it was loaded (and the
        rewritten files were not already found unreadable)."""
        now = self._mtimes()
        return now != self._stamp and now != self._unreadable

    def reload_failed(self) -> None:
        """Remember that the files as they are now cannot be loaded; retry when they change."""
        self._unreadable = self._mtimes()

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once per loaded run (the run's files do not change under it)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = compute()
            return self._cache[key]

    def sorted_copy(self, name: str, select: str, order: str) -> str:
        """An in-memory copy of `select` ordered by `order`, made once, named `name`.

        DuckDB skips row groups by their min/max, so a lookup by the sort key reads a few
        thousand rows instead of scanning millions (the property page of a big city).
        """
        def create() -> str:
            self._con.execute(f"CREATE OR REPLACE TABLE {name} AS {select} ORDER BY {order}")
            return name

        return self.cached(f"table:{name}", create)

    def has(self, db_table: str) -> bool:
        """True when the ingested database holds `db_table`."""
        return db_table in self.db_tables

    def rows(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run one query on a fresh cursor and return its rows as dicts."""
        with self._lock:
            cursor = self._con.cursor()
        try:
            result = cursor.execute(sql, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        except duckdb.Error as exc:
            raise RuntimeError(f"{exc}\nSQL: {sql}") from exc
        finally:
            cursor.close()

    def one(self, sql: str, params: list[Any] | None = None) -> dict[str, Any] | None:
        """The first row of a query, or None."""
        found = self.rows(sql, params)
        return found[0] if found else None

    @property
    def as_of(self) -> str | None:
        """The analysis as-of date (ISO) from run.json or the ingested extract_meta."""
        if self.meta.get("as_of"):
            return str(self.meta["as_of"])
        if self.has("extract_meta"):
            row = self.one("SELECT value FROM db.extract_meta WHERE key = 'as_of'")
            return row["value"] if row else None
        return None


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
