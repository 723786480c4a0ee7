"""`RunDir`: one version of an analysis run directory, loaded once, read by many requests.

The ranked CSVs and evidence.csv (`contract/run_files.yaml`) become typed DuckDB tables
`r_properties`, `r_owners`, `r_officials`, `r_offices`, `r_networks`, `r_evidence`; the
ingested `zonewatch.duckdb` is attached read-only, its tables visible by their own names
(`persons`, `registrations`, ...). SQL callers use `query`; pandas callers get the same
tables as frames (`ranked`, `evidence`). A loaded `RunDir` never changes: everything cached
on it (`cached`, `sorted_copy`, frames) is valid for its whole life, and `served.open_run`
decides when a rewritten folder replaces it.
"""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from zonewatch.contract.run_files import RunFile, loaded_files, ranked_lists
from zonewatch.errors import Invalid, NotFound, Unavailable

DUCKDB_FILE = "zonewatch.duckdb"
RANKED_REQUIRED = "properties_ranked.csv"  # without it a folder is not a run
_VERSIONS = itertools.count(1)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN/NA -> None, numpy scalars -> Python); row by row, so a
    page of 50 rows costs 50 rows, not a copy of the frame."""
    rows = frame.to_dict("records")
    for row in rows:
        for key, value in row.items():
            if value is None or isinstance(value, str | bool | int):
                continue
            if value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
                row[key] = None
            elif isinstance(value, np.generic):
                row[key] = value.item()
    return rows


class RunDir:
    """One loaded version of a run directory (raises Invalid when `path` is not a run)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.version = next(_VERSIONS)  # unique per load: a key for caches kept elsewhere
        if not (self.path / RANKED_REQUIRED).is_file():
            raise Invalid(
                f"{self.path} is not an analysis run: {RANKED_REQUIRED} is missing "
                "(run `zonewatch analyze EXTRACT --out RUN` first)")
        self._con = duckdb.connect()
        self._lock = threading.RLock()
        self._local = threading.local()  # one cursor per thread, reused by its queries
        self._cache: dict[str, Any] = {}
        self._missing: set[str] = set()  # declared files absent from the folder
        self._broken: dict[str, str] = {}  # file -> why it cannot be served
        self._info = _read_json(self.path / "run.json")
        self._ingest_report = _read_json(self.path / "ingest_report.json")
        for spec in loaded_files():
            self._load_csv(spec)
        self._tables = self._attach()

    @property
    def duckdb_path(self) -> Path:
        """The run's ingested database."""
        return self.path / DUCKDB_FILE

    def _load_csv(self, spec: RunFile) -> None:
        """Load one CSV as a typed table with every declared column (NULL when absent)."""
        path = self.path / spec.name
        present: list[str] = []
        if not path.is_file():
            self._missing.add(spec.name)
        elif path.stat().st_size:
            present = [c[0] for c in self._con.execute(
                f"DESCRIBE SELECT * FROM read_csv('{_quote(path)}', header=true, "
                "all_varchar=true)").fetchall()]
            lacking = [c for c in spec.required if c not in present]
            if lacking:
                self._broken[spec.name] = f"{spec.name} lacks the column(s) {', '.join(lacking)}"
                present = []
        columns = present + [c for c in spec.columns if c not in present]
        select = ", ".join(
            f"TRY_CAST({_ident(c)} AS {spec.sql_type(c)}) AS {_ident(c)}" if c in present
            else f"CAST(NULL AS {spec.sql_type(c)}) AS {_ident(c)}" for c in columns)
        source = (f"read_csv('{_quote(path)}', header=true, all_varchar=true)" if present
                  else "(SELECT 1) WHERE false")
        self._con.execute(f"CREATE TABLE {spec.table} AS SELECT {select} FROM {source}")

    def _attach(self) -> set[str]:
        """Attach the ingested database read-only and name its tables without a prefix."""
        if not self.duckdb_path.is_file():
            return set()
        try:
            self._con.execute(f"ATTACH '{_quote(self.duckdb_path)}' AS db (READ_ONLY)")
        except duckdb.Error as exc:
            raise Unavailable(
                f"{self.duckdb_path} is being written ({exc}); retry in a few seconds") from exc
        names = {r[0] for r in self._con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_catalog = 'db'"
        ).fetchall()}
        for name in names:
            self._con.execute(f"CREATE VIEW {_ident(name)} AS SELECT * FROM db.{_ident(name)}")
        return names

    def info(self) -> dict[str, Any]:
        """run.json (empty when absent)."""
        return self._info

    def ingest_report(self) -> dict[str, Any]:
        """ingest_report.json (empty when absent)."""
        return self._ingest_report

    def as_of(self) -> date | None:
        """The analysis as-of date from run.json, else from the ingested extract_meta."""
        raw = self._info.get("as_of")
        if not raw and self.has_table("extract_meta"):
            row = self.one("SELECT value FROM extract_meta WHERE key = 'as_of'")
            raw = row["value"] if row else None
        return date.fromisoformat(str(raw)[:10]) if raw else None

    def has_table(self, name: str) -> bool:
        """Whether the ingested database holds table `name`."""
        return name in self._tables

    def broken(self) -> set[str]:
        """The declared files that were there but could not be served."""
        return set(self._broken)

    def has_file(self, name: str) -> bool:
        """Whether the declared file `name` was there (and servable) when this version loaded."""
        return name not in self._missing and name not in self._broken

    def _servable(self, name: str) -> None:
        if name in self._missing:
            raise NotFound(f"{name} is missing in the run")
        if name in self._broken:
            raise Unavailable(self._broken[name])

    def ranked(self, kind: str) -> pd.DataFrame:
        """The ranked list `kind` (properties, owners, officials, offices, networks) as a
        frame in file order; NotFound when its file is absent, Unavailable when broken."""
        lists = ranked_lists()
        if kind not in lists:
            raise Invalid(f"unknown list {kind!r}; expected one of {', '.join(lists)}")
        self._servable(lists[kind].name)
        return self._frame_of(lists[kind].table)

    def evidence(self) -> pd.DataFrame:
        """evidence.csv as a frame in file order."""
        self._servable("evidence.csv")
        return self._frame_of("r_evidence")

    def _frame_of(self, table: str | None) -> pd.DataFrame:
        return self.cached(f"frame:{table}", lambda: self.frame(f"SELECT * FROM {table}"))

    def evidence_for(self, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
        """Every indicator hit of one entity, in file order (grouped once per version)."""
        if not self.has_file("evidence.csv"):
            return []
        index = self.cached("evidence_index", lambda: _index(self.evidence()))
        return [dict(row) for row in index.get((entity_type, entity_id), ())]

    def cached(self, key: str, compute: Callable[[], Any]) -> Any:
        """`compute()` once for this version of the run."""
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

    def lookup(self, table: str, key: str) -> str:
        """The ingested `table` sorted by `key` (a copy made once, see `sorted_copy`): where
        every lookup by `key` reads, for the API and the pages alike."""
        return self.sorted_copy(f"by_{key}__{table}", f"SELECT * FROM {_ident(table)}", key)

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run one read-only query on its own cursor and return its rows as dicts."""
        cursor = self._cursor()
        try:
            result = cursor.execute(sql, params or [])
            names = [d[0] for d in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        except duckdb.Error as exc:
            raise RuntimeError(f"{exc}\nSQL: {sql}") from exc

    def one(self, sql: str, params: list[Any] | None = None) -> dict[str, Any] | None:
        """The first row of a query, or None."""
        found = self.query(sql, params)
        return found[0] if found else None

    def frame(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run one read-only query and return a DataFrame."""
        return self._cursor().execute(sql, params or []).df()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor (a DuckDB connection is not shared by concurrent queries;
        a cursor per thread is, and costs nothing after the first query)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            with self._lock:
                cursor = self._local.cursor = self._con.cursor()
        return cursor

    def close(self) -> None:
        """Close the DuckDB connection (requests still holding this version then fail)."""
        with self._lock:
            self._con.close()


def _index(ev: pd.DataFrame) -> dict[tuple[str, str], list[dict[str, Any]]]:
    index: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in records(ev):
        index.setdefault((row["entity_type"], row["entity_id"]), []).append(row)
    return index


def _read_json(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise Unavailable(f"{path.name} is not valid JSON ({exc})") from exc


def _quote(path: Path) -> str:
    return str(path).replace("'", "''")


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
