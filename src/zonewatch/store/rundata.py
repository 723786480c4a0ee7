"""Read access to one analysis run directory: ranked CSVs, evidence, run.json, the DuckDB.

Files are read once and cached until their modification time changes, so a re-run of
`zonewatch analyze --out` into the same directory is picked up without a restart.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from zonewatch.store.errors import Invalid, NotFound, Unavailable

# kind -> (file, id column)
RANKED: dict[str, tuple[str, str]] = {
    "properties": ("properties_ranked.csv", "property_id"),
    "owners": ("owners_ranked.csv", "owner_id"),
    "officials": ("officials_ranked.csv", "official_id"),
    "offices": ("offices_ranked.csv", "office_id"),
    "networks": ("networks.csv", "network_id"),
}
EVIDENCE = "evidence.csv"
# columns without which a file cannot be served (the data contract has more)
REQUIRED: dict[str, tuple[str, ...]] = {
    **{file: (id_col, "score") for file, id_col in RANKED.values()},
    EVIDENCE: ("entity_type", "entity_id", "indicator_id"),
}
SETTLE_SECONDS = 2.0  # a DuckDB file younger than this may still be written by `analyze`
NUMERIC = ("rank", "score", "registered", "area_m2", "properties", "value", "threshold")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Rows as JSON-ready dicts (NaN -> None, numpy scalars -> Python)."""
    clean = frame.astype(object).where(frame.notna(), None)
    return clean.to_dict("records")


_OPENED: dict[Path, RunData] = {}
_OPENED_LOCK = threading.Lock()
MAX_OPEN_RUNS = 8


def open_run(path: str | Path) -> RunData:
    """A shared `RunData` per run directory, so caches and the DuckDB connection are reused."""
    key = Path(path).resolve()
    with _OPENED_LOCK:
        run = _OPENED.get(key)
        if run is None:
            run = RunData(key)
            if len(_OPENED) >= MAX_OPEN_RUNS:
                _OPENED.pop(next(iter(_OPENED))).close()
            _OPENED[key] = run
        return run


class RunData:
    """One run directory; every method raises NotFound when its file is absent."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if not self.path.is_dir():
            raise Invalid(f"run directory {self.path} does not exist")
        self._cache: dict[str, tuple[float, pd.DataFrame]] = {}
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._con_mtime = 0.0
        self._tables: set[str] = set()
        self._memo: dict[str, tuple[tuple[float, ...], Any]] = {}
        self._ev_index: tuple[pd.DataFrame, dict[tuple[str, str], list[int]]] | None = None

    def _csv(self, name: str) -> pd.DataFrame:
        file = self.path / name
        if not file.is_file():
            raise NotFound(f"{name} is missing in run {self.path}")
        mtime = file.stat().st_mtime
        with self._lock:
            hit = self._cache.get(name)
            # same version, or a new one still being written: serve what we have
            if hit and (hit[0] == mtime or time.time() - mtime < SETTLE_SECONDS):
                return hit[1]
        frame = pd.read_csv(file, dtype=str, keep_default_na=False, na_values=[""])
        missing = [c for c in REQUIRED.get(name, ()) if c not in frame.columns]
        if missing:  # a broken or half-written file: keep serving the previous version
            if hit:
                return hit[1]
            raise Unavailable(f"{name} lacks the column(s) {', '.join(missing)}")
        for col in NUMERIC:
            if col in frame.columns:
                frame[col] = pd.to_numeric(frame[col], errors="coerce")
        with self._lock:
            self._cache[name] = (mtime, frame)
        return frame

    def ranked(self, kind: str) -> pd.DataFrame:
        """The ranked table of `kind` (properties, owners, officials, offices, networks)."""
        if kind not in RANKED:
            raise Invalid(f"unknown list {kind!r}; expected one of {', '.join(RANKED)}")
        return self._csv(RANKED[kind][0])

    def warm(self) -> None:
        """Read every ranked list and index the evidence before the first visitor asks."""
        for kind in RANKED:
            try:
                self.ranked(kind)
            except (NotFound, Unavailable):
                continue  # the request that reads it reports why
        self.evidence_for("", "")

    def evidence(self) -> pd.DataFrame:
        """evidence.csv: entity_type, entity_id, indicator_id, value, threshold, score, evidence."""
        return self._csv(EVIDENCE)

    def evidence_for(self, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
        """Every indicator hit of one entity (through an index built once per file version)."""
        try:
            ev = self.evidence()
        except NotFound:
            return []
        with self._lock:
            if self._ev_index is None or self._ev_index[0] is not ev:
                keys = zip(ev["entity_type"], ev["entity_id"], strict=True)
                index: dict[tuple[str, str], list[int]] = {}
                for pos, key in enumerate(keys):
                    index.setdefault(key, []).append(pos)
                self._ev_index = (ev, index)
            rows = self._ev_index[1].get((entity_type, entity_id), [])
        return records(ev.iloc[rows])

    def _stamp(self, files: tuple[str, ...]) -> tuple[float, ...]:
        return tuple(
            (self.path / f).stat().st_mtime if (self.path / f).exists() else 0.0 for f in files
        )

    def memo_set(self, key: str, files: tuple[str, ...], value: Any) -> None:
        """Replace the cached value of `key` (valid until one of `files` changes)."""
        with self._lock:
            self._memo[key] = (self._stamp(files), value)

    def memo(self, key: str, files: tuple[str, ...], build: Callable[[], Any]) -> Any:
        """`build()` cached until one of `files` (names in the run dir) changes."""
        stamp = self._stamp(files)
        with self._lock:
            hit = self._memo.get(key)
            if hit and hit[0] == stamp:
                return hit[1]
        value = build()
        with self._lock:
            self._memo[key] = (stamp, value)
        return value

    def info(self) -> dict[str, Any]:
        """run.json (empty dict when absent)."""
        file = self.path / "run.json"
        return json.loads(file.read_text()) if file.is_file() else {}

    def as_of(self) -> date | None:
        """The run's as-of date from run.json, else from the DuckDB's extract_meta."""
        raw = self.info().get("as_of")
        if not raw:
            try:
                rows = self.query("SELECT value FROM extract_meta WHERE key = 'as_of'")
                raw = rows[0]["value"] if rows else None
            except NotFound:
                raw = None
        return date.fromisoformat(str(raw)[:10]) if raw else None

    @property
    def duckdb_path(self) -> Path:
        """The run's ingested database."""
        return self.path / "zonewatch.duckdb"

    def _connection(self) -> duckdb.DuckDBPyConnection:
        """A shared read-only connection, reopened when the DuckDB file changes."""
        if not self.duckdb_path.is_file():
            raise NotFound(f"zonewatch.duckdb is missing in run {self.path}")
        mtime = self.duckdb_path.stat().st_mtime
        with self._lock:
            if self._con is not None and self._con_mtime == mtime:
                return self._con
            # a replaced file younger than a few seconds may be mid-analysis: opening it now
            # could take the lock the writer needs, so keep reading the previous version
            if self._con is not None and time.time() - mtime < SETTLE_SECONDS:
                return self._con
            if self._con is not None:  # DuckDB caches instances by path: close to see the new
                self._con.close()
                self._con = None
            try:
                con = duckdb.connect(str(self.duckdb_path), read_only=True)
            except duckdb.Error as exc:
                raise Unavailable(
                    f"{self.duckdb_path} is being written ({exc}); retry in a few seconds"
                ) from exc
            self._con, self._con_mtime = con, mtime
            self._tables = {
                r[0]
                for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()
            }
            return con

    def query(self, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
        """Run a read-only query on the run's DuckDB and return rows as dicts."""
        cur = self._connection().cursor()  # one cursor per call: safe across threads
        try:
            cur.execute(sql, params or [])
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, row, strict=True)) for row in cur.fetchall()]
        finally:
            cur.close()

    def frame(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read-only query on the run's DuckDB and return a DataFrame."""
        cur = self._connection().cursor()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def has_table(self, name: str) -> bool:
        """Whether the run's DuckDB holds table `name`."""
        try:
            self._connection()
        except NotFound:
            return False
        return name in self._tables

    def close(self) -> None:
        """Close the shared DuckDB connection."""
        with self._lock:
            if self._con is not None:
                self._con.close()
                self._con = None
