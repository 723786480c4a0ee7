"""`ingest_extract`: read an extract into a fresh DuckDB file, quarantining invalid rows.

Steps: find files -> bulk-read each into an all-VARCHAR raw table -> in one pass per
table, flag every rule that needs neither the as-of nor other tables (row rules,
duplicate keys; validate.py) -> fix the as-of from the rows that passed -> per table in
contract order, flag future dates and references to accepted rows -> write the clean
rows typed, once, and the failures into `quarantine`.
The database is built beside the target, flushed to disk and renamed over it only when
complete (zonewatch.atomic), so a failed or killed ingest leaves the previous database
untouched.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from zonewatch.atomic import replace_file, stale_temps, temp_beside
from zonewatch.contract.schema import Contract, load_contract
from zonewatch.engine.resources import connect, remove_spill
from zonewatch.ingest.asof import derive_as_of
from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.files import TableFile, discover, read_raw
from zonewatch.ingest.report import IngestReport, TableReport
from zonewatch.ingest.validate import check_table, later_failures, load_table

StageHook = Callable[[str], None]
QUARANTINE_DDL = (
    "CREATE TABLE quarantine (table_name VARCHAR, row_key VARCHAR, line_number BIGINT, "
    "rule VARCHAR, column_name VARCHAR, value VARCHAR)"
)


def ingest_extract(
    extract_dir: str | Path,
    db_path: str | Path,
    as_of: dt.date | str | None = None,
    memory_limit: str | None = None,
    on_stage: StageHook | None = None,
) -> IngestReport:
    """Ingest the extract in `extract_dir` into the DuckDB file `db_path` (replaced atomically).

    `memory_limit` caps DuckDB (see zonewatch.engine.resources; beyond it, work spills
    beside the database); `on_stage(name)` is called as each table is read and loaded.
    Raises IngestError when the extract cannot be loaded at all.
    """
    started = time.perf_counter()
    extract_dir, db_path = Path(extract_dir), Path(db_path)
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    contract = load_contract()
    found, ignored = discover(extract_dir, contract)
    if db_path.is_dir():
        raise IngestError(f"{db_path}: is a directory; --db needs a DuckDB file path")
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for stale in stale_temps(db_path):  # left by a killed ingest
        _remove(stale)
    tmp = temp_beside(db_path)
    _remove(tmp)
    try:
        try:
            con = connect(tmp, memory_limit)
        except (ValueError, duckdb.Error) as exc:
            raise IngestError(f"cannot open {db_path}: {exc}") from None
        try:
            report = _build(con, contract, found, as_of, extract_dir, db_path,
                            on_stage or _quiet)
            report.files_ignored = ignored
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _remove(Path(f"{db_path}.wal"))  # a stale WAL must not replay onto the new file
        replace_file(tmp, db_path)
    finally:
        _remove(tmp)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    remove_spill(path)


def _quiet(_: str) -> None:
    """The default stage hook: no display."""


def _build(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    found: dict[str, TableFile],
    as_of: dt.date | None,
    extract_dir: Path,
    db_path: Path,
    stage: StageHook,
) -> IngestReport:
    order = [name for name in contract.tables if name in found]
    shapes = {}
    for name in order:
        table = contract.tables[name]
        shapes[name] = read_raw(con, found[name], table)
        check_table(con, table, set(table.column_names))
        stage(f"read {name}")
    given = as_of is not None
    warnings: list[str] = []
    if as_of is None:
        files = {name: found[name].path.name for name in order}
        as_of, warnings = derive_as_of(con, contract, files)
        stage("as-of")
    report = IngestReport(
        as_of=as_of,
        as_of_given=given,
        source=str(extract_dir.resolve()),
        db_path=str(db_path),
        ingested_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        tables_missing=[name for name in contract.tables if name not in found],
        warnings=warnings,
    )
    con.execute(QUARANTINE_DDL)
    loaded: set[str] = set()
    for name in order:
        table = contract.tables[name]
        extra, absent = shapes[name]
        later, unchecked = later_failures(table, as_of, loaded)
        read, bad, by_rule = load_table(con, table, extra, later)
        report.tables[name] = TableReport(
            file=found[name].path.name,
            rows_read=read,
            rows_accepted=read - bad,
            rows_quarantined=bad,
            quarantined_by_rule=by_rule,
            extra_columns=extra,
            columns_absent=absent,
            unchecked_references=unchecked,
        )
        loaded.add(name)
        stage(f"load {name}")
    con.execute("CREATE TABLE extract_meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    con.executemany(
        "INSERT INTO extract_meta VALUES (?, ?)",
        [
            ("as_of", as_of.isoformat()),
            ("as_of_given", str(given).lower()),
            ("source", report.source),
            ("ingested_at", report.ingested_at),
            ("tables", ",".join(order)),
        ],
    )
    return report
