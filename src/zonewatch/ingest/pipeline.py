"""`ingest_extract`: read an extract into a fresh DuckDB file, quarantining invalid rows.

Steps: find files -> bulk-read each into an all-VARCHAR raw table -> per table, collect
the violations that need neither the as-of nor other tables (row rules, duplicate keys)
-> fix the as-of from the rows that passed -> per table in contract order, add future
dates and references to accepted rows -> load the clean rows typed, the rest into
`quarantine`.
The database is built beside the target and moved over it only when complete, so a
failed or killed ingest leaves the previous database untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import duckdb

from zonewatch.contract.schema import Contract, Table, load_contract
from zonewatch.ingest.asof import derive_as_of
from zonewatch.ingest.checks import duplicate_sql, reference_sql
from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.files import LINE, TableFile, discover, read_raw
from zonewatch.ingest.report import IngestReport, TableReport
from zonewatch.ingest.rules import Rule, future_rules, q, table_rules, typed_sql

QUARANTINE_DDL = (
    "CREATE TABLE quarantine (table_name VARCHAR, row_key VARCHAR, line_number BIGINT, "
    "rule VARCHAR, column_name VARCHAR, value VARCHAR)"
)


def ingest_extract(
    extract_dir: str | Path, db_path: str | Path, as_of: dt.date | str | None = None
) -> IngestReport:
    """Ingest the extract in `extract_dir` into the DuckDB file `db_path` (replaced atomically).

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
    _remove_stale(db_path)
    tmp = db_path.with_name(f".{db_path.name}.{os.getpid()}.tmp")
    _remove(tmp)
    try:
        con = duckdb.connect(str(tmp))
        try:
            report = _build(con, contract, found, as_of, extract_dir, db_path)
            report.files_ignored = ignored
            con.execute("CHECKPOINT")
        finally:
            con.close()
        _remove(Path(f"{db_path}.wal"))  # a stale WAL must not replay onto the new file
        os.replace(tmp, db_path)
    finally:
        _remove(tmp)
    report.seconds = round(time.perf_counter() - started, 3)
    return report


def _row_key_sql(keys: tuple[str, ...]) -> str:
    """SQL naming a raw row `r` by its key parts joined with '|' (NULL when all are null)."""
    if not keys:
        return "NULL"
    parts = [f"r.{q(k)}" for k in keys]
    all_null = " AND ".join(f"{p} IS NULL" for p in parts)
    joined = ", ".join(f"coalesce({p}, '')" for p in parts)
    return f"CASE WHEN {all_null} THEN NULL ELSE concat_ws('|', {joined}) END"


def _remove_stale(db_path: Path) -> None:
    """Delete temp files of earlier ingests into `db_path` whose process is gone (killed)."""
    for path in db_path.parent.glob(f".{db_path.name}.*.tmp"):
        try:
            os.kill(int(path.name.split(".")[-2]), 0)
        except ProcessLookupError:
            _remove(path)
        except (ValueError, PermissionError):
            continue


def _remove(path: Path) -> None:
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)


def _build(
    con: duckdb.DuckDBPyConnection,
    contract: Contract,
    found: dict[str, TableFile],
    as_of: dt.date | None,
    extract_dir: Path,
    db_path: Path,
) -> IngestReport:
    order = [name for name in contract.tables if name in found]
    shapes = {name: read_raw(con, found[name], contract.tables[name]) for name in order}
    for name in order:
        _row_violations(con, contract.tables[name])
    given = as_of is not None
    warnings: list[str] = []
    if as_of is None:
        as_of, warnings = derive_as_of(con, contract, order)
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
        report.tables[name] = _load_table(
            con, contract.tables[name], found[name], shapes[name], as_of, loaded
        )
        loaded.add(name)
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


def _violation_select(table: Table, rule: Rule) -> str:
    return (
        f"SELECT {LINE}, '{rule.rule}' AS rule, '{rule.column}' AS column_name, "
        f"CAST({q(rule.column)} AS VARCHAR) AS value FROM raw_{table.name} WHERE {rule.condition}"
    )


def _row_violations(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """viol_<table>: rows breaking rules that need neither the as-of nor other tables."""
    selects = [_violation_select(table, r) for r in table_rules(table)]
    dup = duplicate_sql(table)
    if dup:
        selects.append(dup)
    con.execute(f"CREATE OR REPLACE TEMP TABLE viol_{table.name} AS {' UNION ALL '.join(selects)}")


def _load_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    tf: TableFile,
    shape: tuple[list[str], list[str]],
    as_of: dt.date,
    loaded: set[str],
) -> TableReport:
    raw, viol = f"raw_{table.name}", f"viol_{table.name}"
    extra, absent = shape
    selects = [_violation_select(table, r) for r in future_rules(table, as_of)]
    refs, unchecked = reference_sql(table, loaded)
    selects += refs
    if selects:
        con.execute(f"INSERT INTO {viol} {' UNION ALL '.join(selects)}")

    columns = [f"{q(c.name)} {c.sql_type}" for c in table.columns]
    columns += [f"{q(c)} VARCHAR" for c in extra]
    con.execute(f"CREATE TABLE {q(table.name)} ({', '.join(columns)})")
    values = [f"{typed_sql(c)} AS {q(c.name)}" for c in table.columns] + [q(c) for c in extra]
    con.execute(
        f"INSERT INTO {q(table.name)} SELECT {', '.join(values)} FROM {raw} "
        f"WHERE {LINE} NOT IN (SELECT {LINE} FROM {viol}) ORDER BY {LINE}"
    )
    keys = table.row_key or table.key
    row_key = _row_key_sql(keys)
    con.execute(
        f"INSERT INTO quarantine SELECT '{table.name}', {row_key}, v.{LINE}, v.rule, "
        f"v.column_name, v.value FROM {viol} v JOIN {raw} r USING ({LINE}) "
        f"ORDER BY v.{LINE}, v.rule, v.column_name"
    )
    read = con.execute(f"SELECT count(*) FROM {raw}").fetchone()[0]
    bad = con.execute(f"SELECT count(DISTINCT {LINE}) FROM {viol}").fetchone()[0]
    by_rule = dict(
        con.execute(
            f"SELECT rule, count(DISTINCT {LINE}) FROM {viol} GROUP BY rule ORDER BY rule"
        ).fetchall()
    )
    con.execute(f"DROP TABLE {viol}; DROP VIEW {raw}; DROP TABLE {raw}_data")
    return TableReport(
        file=tf.path.name,
        rows_read=read,
        rows_accepted=read - bad,
        rows_quarantined=bad,
        quarantined_by_rule=by_rule,
        extra_columns=extra,
        columns_absent=absent,
        unchecked_references=unchecked,
    )
