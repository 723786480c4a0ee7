"""What the analysis reads besides the ingested database: extra inspection files, and the
engine the indicators run on (Spark gets a copy of the ingested tables)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

from zonewatch.engine.base import Backend
from zonewatch.engine.duckdb_backend import DuckDBBackend

CONTRACT_TABLES = ("persons", "properties", "ownerships", "organizations", "offices",
                   "officials", "relations", "registrations", "inspections", "service_events",
                   "occupancy")
INSPECTION_COLUMNS = ("property_id", "inspected_on", "outcome")
# read too when present: what the visit found, and how it was chosen (`zonewatch plan`)
OPTIONAL_INSPECTION_COLUMNS = ("persons_found", "fictitious_count", "brokering", "selection",
                               "inclusion_probability", "plan_id")
OUTCOMES = ("violation", "no_violation", "no_access")


class InputError(ValueError):
    """An input beside the extract (inspections file) is unusable; the message says why."""


def present_tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    """Contract tables present in the ingested database."""
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    return {r[0] for r in rows} & set(CONTRACT_TABLES)


def read_inspection_files(paths: tuple[str | Path, ...]) -> pd.DataFrame:
    """Rows from extra inspection files (the contract's inspections format, CSV or Parquet)."""
    frames = []
    for path in paths:
        path = Path(path)
        try:
            frame = (pd.read_parquet(path) if path.suffix == ".parquet"
                     else pd.read_csv(path, dtype=str, keep_default_na=False))
        except (OSError, ValueError) as exc:
            raise InputError(f"cannot read inspections file {path}: {exc}") from exc
        missing = [c for c in INSPECTION_COLUMNS if c not in frame.columns]
        if missing:
            raise InputError(f"inspections file {path} lacks column(s) {missing}; "
                             f"needed: {list(INSPECTION_COLUMNS)}")
        bad = ~frame["outcome"].isin(OUTCOMES)
        if bad.any():
            row = int(bad.idxmax()) + 2
            raise InputError(f"inspections file {path} line {row}: outcome "
                             f"{frame['outcome'][bad].iloc[0]!r} is not one of {OUTCOMES}")
        keep = [*INSPECTION_COLUMNS,
                *(c for c in OPTIONAL_INSPECTION_COLUMNS if c in frame.columns)]
        frames.append(frame[keep].astype(str))
    if not frames:
        return pd.DataFrame(columns=list(INSPECTION_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def all_inspections(con: duckdb.DuckDBPyConnection, extra: pd.DataFrame) -> pd.DataFrame:
    """Inspections of the extract plus the extra rows."""
    frames = [extra]
    if "inspections" in present_tables(con):
        present = {r[0] for r in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'inspections'").fetchall()}
        extra_columns = "".join(f", CAST({c} AS VARCHAR) AS {c}"
                                for c in OPTIONAL_INSPECTION_COLUMNS if c in present)
        frames.insert(0, con.execute(
            "SELECT property_id, CAST(inspected_on AS VARCHAR) AS inspected_on, outcome"
            f"{extra_columns} FROM inspections").df())
    return pd.concat([f for f in frames if len(f)] or [extra], ignore_index=True)


def make_backend(engine: str, con: duckdb.DuckDBPyConnection, tables: set[str],
                 spark_master: str | None = None) -> Backend:
    """The indicator engine: DuckDB on the ingested file, or Spark (on `spark_master`,
    default local[*]) holding a copy of it."""
    if engine == "duckdb":
        return DuckDBBackend(con=con)
    if engine != "spark":
        raise InputError(f"unknown engine {engine!r}; choose duckdb or spark")
    from zonewatch.engine.factory import get_backend

    backend = get_backend("spark", spark_master=spark_master)
    for name in sorted(tables):
        backend.register_table(name, con.sql(f"SELECT * FROM {name}").to_arrow_table())
    return backend


def hand_over(backend: Backend, con: duckdb.DuckDBPyConnection, names: tuple[str, ...]) -> None:
    """Copy the tables `names` that the engine built (Spark) into `con`, where the network
    room reads them; on DuckDB they are there already. What neither holds stays missing,
    for the network room's check to name."""
    if backend.dialect == "duckdb":
        return
    present = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    for name in names:
        if name not in present and backend.table_exists(name):
            con.register("__zw_handed", backend.fetch_arrow(f"SELECT * FROM {name}"))
            try:
                con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM __zw_handed")
            finally:
                con.unregister("__zw_handed")
