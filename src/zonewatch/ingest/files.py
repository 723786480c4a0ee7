"""Find an extract's table files and bulk-read them into all-VARCHAR raw tables.

Each raw table `raw_<table>` holds the file's columns as VARCHAR (blank cells = NULL)
plus `__zw_line`: the CSV line number (header = line 1; exact also when quoted cells
span lines) or the 1-based Parquet row.
"""

from __future__ import annotations

import csv
import gzip
import zlib
from dataclasses import dataclass
from pathlib import Path

import duckdb

from zonewatch.contract.schema import Contract, Table
from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.rules import q

RESERVED = "__zw_"  # prefix of ingest's working columns (line, flags, helpers)
LINE = f"{RESERVED}line"
ROWID = f"{RESERVED}rowid"
READERS = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet"}


@dataclass(frozen=True)
class TableFile:
    """One extract file and the contract table it holds."""

    table: str
    path: Path
    fmt: str  # "csv" or "parquet"


def _suffix(path: Path) -> str:
    return ".csv.gz" if path.name.endswith(".csv.gz") else path.suffix.lower()


def _stem(path: Path) -> str:
    suffix = _suffix(path)
    return path.name[: -len(suffix)] if suffix else path.name


def discover(extract_dir: Path, contract: Contract) -> tuple[dict[str, TableFile], list[str]]:
    """Map contract tables to files in `extract_dir`; also list ignored (unknown) files."""
    if not extract_dir.is_dir():
        raise IngestError(f"{extract_dir}: extract directory not found")
    found: dict[str, TableFile] = {}
    ignored: list[str] = []
    for path in sorted(p for p in extract_dir.iterdir() if p.is_file()):
        stem, suffix = _stem(path), _suffix(path)
        if stem not in contract.tables:
            ignored.append(path.name)
            continue
        if suffix not in READERS:
            raise IngestError(f"{path}: table {stem!r} must be a .csv or .parquet file")
        if stem in found:
            raise IngestError(
                f"{extract_dir}: table {stem!r} given twice ({found[stem].path.name} and "
                f"{path.name}); keep one"
            )
        found[stem] = TableFile(stem, path, READERS[suffix])
    missing = contract.missing_required(set(found))
    if missing:
        raise IngestError(f"{extract_dir}: missing required table file(s): {missing}")
    return found, ignored


def csv_header(path: Path) -> list[str]:
    """The header row of a UTF-8 CSV (optionally gzipped), names stripped of spaces."""
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh), None)
    except UnicodeDecodeError:
        raise IngestError(f"{path}: {_first_non_utf8_line(path)}") from None
    except (OSError, EOFError, zlib.error, csv.Error) as exc:
        raise IngestError(f"{path}: line 1: cannot read the header: {exc}") from None
    header = [h.strip() for h in header or []]
    if not any(header):
        raise IngestError(f"{path}: line 1: no header row")
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t", "|")):
        raise IngestError(
            f"{path}: line 1: one column {header[0][:60]!r}; the contract asks for "
            f"comma-separated values"
        )
    if "" in header:
        raise IngestError(f"{path}: line 1: column {header.index('') + 1} has no name")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise IngestError(f"{path}: line 1: duplicate column(s) {', '.join(dupes)}")
    _refuse_case_clash(path, header, "line 1: ")
    return header


def locate_csv_problem(path: Path, width: int) -> str | None:
    """Find the first line of a CSV that DuckDB refused: a wrong field count or bad quoting.

    Only runs after a failed bulk read, to turn the failure into a line number.
    """
    opener = gzip.open if path.name.endswith(".gz") else open
    limit = csv.field_size_limit(2**31 - 1)  # DuckDB reads larger fields than csv's 128 KB
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh, strict=True)
            for row in reader:
                if len(row) != width and reader.line_num > 1:
                    return f"line {reader.line_num}: {len(row)} fields, the header has {width}"
    except UnicodeDecodeError:
        return _first_non_utf8_line(path)
    except csv.Error as exc:
        return f"line {reader.line_num}: {exc}"
    except (OSError, EOFError, zlib.error) as exc:  # a damaged gzip stream
        return f"line {reader.line_num}: {exc}"
    finally:
        csv.field_size_limit(limit)
    return None


def _first_non_utf8_line(path: Path) -> str:
    """Where a CSV stops being UTF-8: 'line N: not UTF-8 text (byte 0xC0 at column M)'."""
    opener = gzip.open if path.name.endswith(".gz") else open
    number = 0
    try:
        with opener(path, "rb") as fh:
            for number, line in enumerate(fh, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as exc:
                    return (f"line {number}: not UTF-8 text (byte 0x{line[exc.start]:02X} at "
                            f"column {exc.start + 1}); the contract asks for UTF-8")
    except (OSError, EOFError, zlib.error) as exc:  # a damaged gzip stream
        return f"line {number + 1}: {exc}"
    return "not UTF-8 text"


def _source_sql(tf: TableFile, header: list[str] | None) -> str:
    path = str(tf.path).replace("'", "''")
    if tf.fmt == "parquet":
        return f"read_parquet('{path}')"
    columns = ", ".join("'" + h.replace("'", "''") + "': 'VARCHAR'" for h in header or [])
    return (
        f"read_csv('{path}', auto_detect = false, columns = {{{columns}}}, header = true, "
        f"delim = ',', quote = '\"', escape = '\"', strict_mode = true, encoding = 'utf-8')"
    )


def _why(exc: Exception) -> str:
    """DuckDB's error reduced to its first lines (drop the long list of possible fixes)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip(" ^")]
    keep = [line for line in lines[:4] if not line.startswith(("Possible fixes", "*", "LINE"))]
    return " ".join(keep)


def _stored(column: str) -> str:
    """The raw table's name for a file column: a column named rowid would hide DuckDB's
    rowid (the file order), so it is stored as __zw_rowid and renamed back in the view."""
    return ROWID if column.lower() == "rowid" else column


def _line_view(
    con: duckdb.DuckDBPyConnection, name: str, cols: list[str], text_cols: list[str],
    first_line: int,
) -> None:
    """View raw_<name>: the data with its line number first, columns named as in the file.

    rowid follows file order (insertion order is preserved). When quoted cells hold line
    breaks (`text_cols` given, CSV only), each record's line is shifted by the breaks of
    the records above it; files without such cells pay one cheap scan.
    """
    data = f"raw_{name}_data"
    back = next((f" RENAME ({ROWID} AS {q(c)})" for c in cols if _stored(c) == ROWID), "")
    breaks = " OR ".join(f"contains({q(_stored(c))}, chr(10))" for c in text_cols)
    if not breaks or not con.execute(f"SELECT bool_or({breaks}) FROM {data}").fetchone()[0]:
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW raw_{name} AS "
            f"SELECT rowid + {first_line} AS {LINE}, *{back} FROM {data}"
        )
        return
    count = " + ".join(
        f"coalesce(length({q(_stored(c))}) - length(replace({q(_stored(c))}, chr(10), '')), 0)"
        for c in text_cols
    )
    above = f"sum({count}) OVER (ORDER BY rowid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE raw_{name}_lined AS SELECT rowid + {first_line} + "
        f"coalesce({above}, 0) AS {LINE}, * FROM {data} ORDER BY rowid"
    )
    con.execute(f"DROP TABLE {data}; ALTER TABLE raw_{name}_lined RENAME TO {data}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW raw_{name} AS SELECT *{back} FROM {data}")


def _blank_to_null(value: str) -> str:
    """SQL: NULL for a blank cell (empty or only spaces), else the text unchanged.

    trim() (spaces and Unicode spaces such as U+00A0) runs only on values whose first
    character is a space or beyond ASCII: identifiers, dates and numbers skip it.
    """
    first = f"ascii({value})"
    return (
        f"CASE WHEN {value} = '' OR (({first} = 32 OR {first} > 127) AND trim({value}) = '') "
        f"THEN NULL ELSE {value} END"
    )


def _refuse_case_clash(path: Path, names: list[str], where: str) -> None:
    """IngestError when two names differ only in case (DuckDB would take one for the other)."""
    seen: dict[str, str] = {}
    for name in names:
        other = seen.setdefault(name.lower(), name)
        if other != name:
            raise IngestError(f"{path}: {where}columns {other!r} and {name!r} differ only in "
                              f"case; column names are compared ignoring case")


def _check_names(tf: TableFile, cols: list[str], table: Table) -> None:
    """Refuse a file whose column names cannot be loaded as they are: names DuckDB would
    take for one another (they differ only in case), reserved names, a missing required
    column."""
    where = "line 1: " if tf.fmt == "csv" else ""
    reserved = [c for c in cols if c.startswith(RESERVED)]
    if reserved:
        raise IngestError(f"{tf.path}: {where}column {reserved[0]!r}: names starting with "
                          f"{RESERVED!r} are reserved for ingest's own columns")
    _refuse_case_clash(tf.path, cols, where)
    seen = {col.lower(): col for col in cols}
    for col in table.column_names:
        other = seen.get(col.lower())
        if other is not None and other != col:
            raise IngestError(f"{tf.path}: {where}column {other!r} differs from the "
                              f"contract's {col!r} only in case; rename it {col!r}")
    for col in table.columns:
        if not col.nullable and col.name not in cols:
            raise IngestError(f"{tf.path}: {where}missing required column {col.name!r}")


def read_raw(
    con: duckdb.DuckDBPyConnection, tf: TableFile, table: Table
) -> tuple[list[str], list[str]]:
    """Load `tf` into TEMP table raw_<table>.

    Returns the file's extra (non-contract) columns and the nullable contract columns it
    lacks (loaded as NULL).
    """
    if tf.path.stat().st_size == 0:
        expected = " (expected a header row)" if tf.fmt == "csv" else ""
        raise IngestError(f"{tf.path}: file is empty{expected}")
    header = csv_header(tf.path) if tf.fmt == "csv" else None
    source = _source_sql(tf, header)
    try:
        cols = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    except duckdb.Error as exc:
        raise IngestError(f"{tf.path}: cannot read as {tf.fmt.upper()}: {_why(exc)}") from None
    _check_names(tf, cols, table)
    names = set(cols)
    select = [_blank_to_null(f"CAST({q(c)} AS VARCHAR)") + f" AS {q(_stored(c))}" for c in cols]
    select += [
        f"CAST(NULL AS VARCHAR) AS {q(c.name)}" for c in table.columns if c.name not in names
    ]
    first_line = 2 if tf.fmt == "csv" else 1
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE raw_{table.name}_data AS "
            f"SELECT {', '.join(select)} FROM {source}"
        )
    except duckdb.Error as exc:
        where = locate_csv_problem(tf.path, len(header)) if header else None
        why = where or _why(exc)
        raise IngestError(f"{tf.path}: cannot read as {tf.fmt.upper()}: {why}") from None
    _line_view(con, table.name, cols, cols if tf.fmt == "csv" else [], first_line)
    contract_cols = set(table.column_names)
    absent = [c.name for c in table.columns if c.name not in names]
    return [c for c in cols if c not in contract_cols], absent
