"""Corrupted extracts for the ingest fuzzer, and the invariants every ingest must keep.

A case corrupts one table of a small generated extract (a cell, a key, the columns, the
encoding, the bytes, or the Parquet types) and ingests it beside the fewest clean tables
the contract requires (linked, not copied), so one case costs one small ingest.
`check_case` returns the broken invariants, empty when ingest either refused the file
with an IngestError naming it, or loaded it with rows read = accepted + quarantined for
every table, nothing silently dropped, and every quarantine row naming its column and
line.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import os
import shutil
import traceback
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from zonewatch.contract import dates
from zonewatch.contract.iin import make as make_iin
from zonewatch.contract.schema import Contract, load_contract
from zonewatch.ingest import IngestError, ingest_extract

ROWS_PER_TABLE = 12
MEGABYTE = "x" * (1 << 20)
HOSTILE = [
    "", " ", "\u00a0", "\t", "null", "NULL", "None", "NaN", "nan", "inf", "-inf", "1e309",
    "-1e309", "1e-400", "0", "-0", "-1", "+5", " 3 ", "1,5", "1_000", "0x10", "1e16",
    "9223372036854775808", "-9223372036854775809", "2.5", "true", "FALSE", "yes", "t",
    "2026-13-01", "2026-02-30", "2026-02-29", "2024-02-29", "0001-01-01", "9999-12-31",
    "1800-01-01", "2100-01-01", "2026-11-02", "-2026-01-01", "20261101", "2026-1-1",
    "2026-11-01T25:00:00", "2026-11-01T10:00:00+05:00", "2026-11-01 10:00", "294247-01-01",
    "2026-11-01T10:00:00.123456789Z", "\"", "a\"b", "\"quoted\"", "a,b", "line\nbreak",
    "cr\rlf", "crlf\r\nx", "\x00", "a\x00b", "\x1b[31m", "é", "Ω", "Ахметов", "🙂", "\u202e",
    "\ufeff", "' OR 1=1 --", "'; DROP TABLE persons; --", "%s%s%n", "__zw_line",
    "apartment ", "Apartment", "M ", "m", "KZ", "kaz", "KAZZ", "123", "00000000000",
    "000000000000", "999999999999", "12345678901a", MEGABYTE,
]  # fmt: skip
ENCODINGS = ("cp1251", "latin-1", "utf-16", "utf-8-sig", "koi8-r")


@dataclass
class Base:
    """The clean small extract: header and rows per table, as written to `clean_dir`."""

    contract: Contract
    tables: dict[str, tuple[list[str], list[list[str]]]]
    clean_dir: Path

    def __repr__(self) -> str:
        return f"Base({self.clean_dir})"


def read_csv_rows(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a clean UTF-8 CSV."""
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def to_csv(header: list[str], rows: list[list[str]]) -> str:
    """Rows as CSV text (Python's writer quotes what needs quoting)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def make_base(city_extract: Path, out: Path) -> Base:
    """The first ROWS_PER_TABLE rows of every table of a generated extract, plus occupancy."""
    contract = load_contract()
    out.mkdir(parents=True, exist_ok=True)
    tables: dict[str, tuple[list[str], list[list[str]]]] = {}
    for path in sorted(city_extract.glob("*.csv")):
        header, rows = read_csv_rows(path)
        tables[path.stem] = (header, rows[:ROWS_PER_TABLE])
    props = tables["properties"][1]
    tables["occupancy"] = (["property_id", "as_of", "registered", "source"],
                           [[r[0], "2026-11-01", str(i % 4), "fuzz"] for i, r in enumerate(props)])
    for name, (header, rows) in tables.items():
        (out / f"{name}.csv").write_text(to_csv(header, rows), encoding="utf-8")
    return Base(contract, tables, out)


def tables_for(contract: Contract, table: str) -> set[str]:
    """The tables a case corrupting `table` ingests: it and the fewest required ones.

    Occupancy stands in for persons with registrations (validating persons is the dearest
    step of a small ingest); registrations come with their persons and properties, so
    references are checked there, and inspections and occupancy point at properties."""
    need = {table, "properties"}
    return need | ({"persons"} if table == "registrations" else {"occupancy"})


@dataclass
class Case:
    """One corrupted table: what was done, and the file it becomes."""

    table: str
    what: str
    suffix: str  # ".csv", ".csv.gz" or ".parquet"
    data: bytes


def _encode(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


@st.composite
def cell_case(draw: st.DrawFn, base: Base) -> Case:
    """Replace cells by hostile values, wrong IINs, duplicate or dangling keys."""
    table = draw(st.sampled_from(sorted(base.tables)))
    header, clean = base.tables[table]
    rows = [list(r) for r in clean]
    edits = draw(st.integers(1, 4))
    what = []
    for _ in range(edits):
        r, c = draw(st.integers(0, len(rows) - 1)), draw(st.integers(0, len(header) - 1))
        kind = draw(st.sampled_from(["hostile", "text", "key_copy", "dangling", "iin",
                                     "sex_flip", "birth_shift"]))
        c = _aim(base, table, kind, header, c)
        if kind == "hostile":
            rows[r][c] = draw(st.sampled_from(HOSTILE))
        elif kind == "text":
            rows[r][c] = draw(st.text(max_size=30))
        elif kind == "key_copy":  # the same value as another row: duplicate keys
            rows[r][c] = rows[draw(st.integers(0, len(rows) - 1))][c]
        elif kind == "dangling":
            rows[r][c] = draw(st.sampled_from(["NOPE", "P0", "", rows[r][c] + "x"]))
        elif kind == "iin":
            rows[r][c] = _iin_variant(draw, rows[r][c])
        elif kind == "sex_flip":
            rows[r][c] = {"M": "F", "F": "M"}.get(rows[r][c], "M")
        else:  # another day than the IIN says (or than the row's own start)
            born = dates.parse_date(rows[r][c]) or dt.date(1990, 5, 15)
            rows[r][c] = (born + dt.timedelta(days=draw(st.integers(-40000, 40000)))).isoformat()
        what.append(f"{kind} r{r} {header[c]}={rows[r][c][:20]!r}")
    if draw(st.integers(0, 9)) == 0:  # a short row
        r = draw(st.integers(0, len(rows) - 1))
        rows[r] = rows[r][: draw(st.integers(0, len(header) - 1))]
        what.append(f"short r{r}")
    data = _encode(to_csv(header, rows), draw(st.sampled_from(("utf-8",) * 4 + ENCODINGS)))
    return Case(table, "cells: " + "; ".join(what), ".csv", data)


AIMED = {"iin": ("iin",), "sex_flip": ("sex",), "birth_shift": ("birth_date", "start_date",
                                                                  "end_date", "as_of")}


def _aim(base: Base, table: str, kind: str, header: list[str], c: int) -> int:
    """The column an edit is meant for, when the file has it: keys for key copies and
    dangling references, iin/sex/dates for the IIN edits; else the drawn column `c`."""
    spec = base.contract.tables[table]
    wanted: tuple[str, ...] = AIMED.get(kind, ())
    if kind == "key_copy":
        wanted = spec.key
    elif kind == "dangling":
        wanted = tuple(col.name for col in spec.columns if col.reference is not None)
    for name in wanted:
        if name in header and (c % 2 == 0 or kind in AIMED):
            return header.index(name)
    return c


def _iin_variant(draw: st.DrawFn, value: str) -> str:
    """A valid IIN of another birth date or sex, or one digit changed (check digit)."""
    if draw(st.booleans()):
        born = draw(st.dates(dt.date(1800, 1, 1), dt.date(2099, 12, 31)))
        made = make_iin(born, draw(st.sampled_from("MF")), draw(st.integers(0, 9999)))
        return made or "900515300018"
    digits = value if value.isdigit() and len(value) == 12 else "900515300018"
    i = draw(st.integers(0, 11))
    return digits[:i] + str((int(digits[i]) + draw(st.integers(1, 9))) % 10) + digits[i + 1:]


@st.composite
def column_case(draw: st.DrawFn, base: Base) -> Case:
    """Drop, add, rename, duplicate or shuffle columns; header only; blank lines."""
    table = draw(st.sampled_from(sorted(base.tables)))
    header, clean = base.tables[table]
    header, rows = list(header), [list(r) for r in clean]
    kind = draw(st.sampled_from(["drop", "extra", "shuffle", "rename", "header_only",
                                 "blank_lines", "wide_row"]))
    if kind == "drop":
        i = draw(st.integers(0, len(header) - 1))
        header.pop(i)
        rows = [r[:i] + r[i + 1:] for r in rows]
    elif kind == "extra":
        name = draw(st.one_of(st.text(max_size=10), st.sampled_from(
            ["extra", "__zw_line", "__zw_dup", "__zw_f0", "__zw_iin_n", "__zw_first", " ",
             "a'b", 'a"b', header[0], header[-1].upper(), "Person_ID", "rowid", "select"])))
        header.append(name)
        rows = [r + [draw(st.sampled_from(HOSTILE[:20]))] for r in rows]
    elif kind == "shuffle":
        order = draw(st.permutations(range(len(header))))
        header, rows = [header[i] for i in order], [[r[i] for i in order] for r in rows]
    elif kind == "rename":
        i = draw(st.integers(0, len(header) - 1))
        header[i] = draw(st.sampled_from([header[i].upper(), f" {header[i]} ", "", "x"]))
    elif kind == "header_only":
        rows = []
    elif kind == "wide_row":
        r = draw(st.integers(0, len(rows) - 1))
        rows[r] = rows[r] + ["surplus"]
    text = to_csv(header, rows)
    if kind == "blank_lines":
        lines = text.split("\n")
        at = draw(st.integers(1, len(lines) - 1))
        text = "\n".join(lines[:at] + [""] * draw(st.integers(1, 3)) + lines[at:])
    return Case(table, f"columns: {kind}", ".csv", text.encode())


@st.composite
def bytes_case(draw: st.DrawFn, base: Base) -> Case:
    """Line endings, BOM, truncation, NUL bytes, garbage, empty files, gzip."""
    table = draw(st.sampled_from(sorted(base.tables)))
    data = to_csv(*base.tables[table]).encode()
    kind = draw(st.sampled_from(["crlf", "cr", "bom", "truncate", "nul", "garbage", "empty",
                                 "flip", "insert", "gzip", "gzip_truncated"]))
    suffix = ".csv"
    if kind == "crlf":
        data = data.replace(b"\n", b"\r\n")
    elif kind == "cr":
        data = data.replace(b"\n", b"\r")
    elif kind == "bom":
        data = b"\xef\xbb\xbf" + data
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    elif kind == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" * draw(st.integers(1, 3)) + data[at:]
    elif kind == "garbage":
        data = draw(st.binary(min_size=1, max_size=300))
    elif kind == "empty":
        data = b""
    elif kind == "flip":
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1:]
    elif kind == "insert":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=20)) + data[at:]
    else:
        suffix = ".csv.gz"
        data = gzip.compress(data, mtime=0)
        if kind == "gzip_truncated":
            data = data[: draw(st.integers(0, len(data) - 1))]
    return Case(table, f"bytes: {kind}", suffix, data)


ARROW_TYPES = {
    "int": lambda n: pa.array(range(n), pa.int64()),
    "float": lambda n: pa.array([i + 0.5 for i in range(n)], pa.float64()),
    "bool": lambda n: pa.array([i % 2 == 0 for i in range(n)], pa.bool_()),
    "date": lambda n: pa.array([19000 + i for i in range(n)], pa.date32()),
    "timestamp": lambda n: pa.array([i * 10**9 for i in range(n)], pa.timestamp("ns")),
    "binary": lambda n: pa.array([bytes([0xFF, i % 256, 0]) for i in range(n)], pa.binary()),
    "list": lambda n: pa.array([["a", str(i)] for i in range(n)], pa.list_(pa.string())),
    "struct": lambda n: pa.array([{"a": i} for i in range(n)], pa.struct([("a", pa.int32())])),
    "null": lambda n: pa.nulls(n),
    "decimal": lambda n: pa.array([i for i in range(n)], pa.decimal128(38, 2)),
    "dictionary": lambda n: pa.array(["apartment"] * n).dictionary_encode(),
    "huge_int": lambda n: pa.array([2**63 - 1] * n, pa.int64()),
    "uint": lambda n: pa.array([2**64 - 1] * n, pa.uint64()),
    "nan": lambda n: pa.array([float("nan")] * n, pa.float64()),
    "time": lambda n: pa.array([i for i in range(n)], pa.time32("s")),
}


@st.composite
def parquet_case(draw: st.DrawFn, base: Base) -> Case:
    """A Parquet file whose columns have wrong types (or which is cut short)."""
    table = draw(st.sampled_from(sorted(base.tables)))
    header, rows = base.tables[table]
    arrays = {h: pa.array([r[i] or None for r in rows], pa.string())
              for i, h in enumerate(header)}
    changed = draw(st.lists(st.sampled_from(header), min_size=1, max_size=3, unique=True))
    kinds = []
    for col in changed:
        kind = draw(st.sampled_from(sorted(ARROW_TYPES)))
        arrays[col] = ARROW_TYPES[kind](len(rows))
        kinds.append(f"{col}:{kind}")
    buf = io.BytesIO()
    pq.write_table(pa.table(arrays), buf)
    data = buf.getvalue()
    if draw(st.integers(0, 9)) == 0:
        data = data[: draw(st.integers(0, len(data) - 1))]
        kinds.append("truncated")
    return Case(table, "parquet: " + ", ".join(kinds), ".parquet", data)


def any_case(base: Base) -> st.SearchStrategy[Case]:
    """Every kind of corruption."""
    return st.one_of(cell_case(base), column_case(base), bytes_case(base), parquet_case(base))


def write_case(base: Base, case: Case, case_dir: Path) -> Path:
    """An extract directory: the corrupted file plus links to the clean tables it needs."""
    if case_dir.exists():
        shutil.rmtree(case_dir)
    case_dir.mkdir(parents=True)
    for name in tables_for(base.contract, case.table) - {case.table}:
        os.symlink(base.clean_dir / f"{name}.csv", case_dir / f"{name}.csv")
    (case_dir / f"{case.table}{case.suffix}").write_bytes(case.data)
    return case_dir


def expected_records(case: Case) -> int | None:
    """Records in the corrupted file by an independent parser, when it can tell."""
    if case.suffix == ".parquet":
        try:
            return pq.read_metadata(io.BytesIO(case.data)).num_rows
        except Exception:
            return None
    data = gzip.decompress(case.data) if case.suffix == ".csv.gz" else case.data
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""),
                               strict=True))
    except (UnicodeDecodeError, csv.Error):
        return None
    return sum(1 for r in rows[1:] if r)


def check_case(base: Base, case: Case, work: Path) -> list[str]:
    """Ingest the case; the broken invariants (empty when ingest behaved)."""
    extract = write_case(base, case, work / "extract")
    db = work / "case.duckdb"
    file_name = f"{case.table}{case.suffix}"
    try:
        report = ingest_extract(extract, db)
    except IngestError as exc:
        return [] if file_name in str(exc) else [f"error does not name {file_name}: {exc}"]
    except Exception:
        return [f"traceback: {traceback.format_exc(limit=-3)}"]
    problems: list[str] = []
    con = duckdb.connect(str(db), read_only=True)
    try:
        quarantine = {row[0]: row[1:] for row in con.execute(
            "SELECT table_name, count(DISTINCT line_number), count(*) FILTER (WHERE "
            "line_number IS NULL OR line_number < 1 OR column_name IS NULL OR column_name = '' "
            "OR rule IS NULL), list(DISTINCT column_name) FROM quarantine GROUP BY table_name"
        ).fetchall()}
        for name, t in report.tables.items():
            table = base.contract.tables[name]
            if t.rows_read != t.rows_accepted + t.rows_quarantined:
                problems.append(f"{name}: read {t.rows_read} != accepted {t.rows_accepted} "
                                f"+ quarantined {t.rows_quarantined}")
            lacking = " OR ".join(f'"{c.name}" IS NULL' for c in table.columns if not c.nullable)
            loaded, incomplete = con.execute(
                f'SELECT count(*), count(*) FILTER (WHERE {lacking}) FROM "{name}"').fetchone()
            if loaded != t.rows_accepted:
                problems.append(f"{name}: {loaded} rows loaded, report says {t.rows_accepted}")
            if incomplete:
                problems.append(f"{name}: {incomplete} accepted rows lack a required value")
            lines, unnamed, columns = quarantine.get(name, (0, 0, []))
            if lines != t.rows_quarantined:
                problems.append(f"{name}: {lines} lines quarantined, report {t.rows_quarantined}")
            if unnamed:
                problems.append(f"{name}: {unnamed} quarantine rows lack column, line or rule")
            names = set(table.column_names) | {"+".join(table.key)}
            problems += [f"{name}: quarantine names unknown column {c!r}"
                         for c in columns if c not in names]
        expected = expected_records(case)
        got = report.tables[case.table].rows_read
        if expected is not None and got != expected:
            problems.append(f"{case.table}: read {got} rows, the file holds {expected}")
    finally:
        con.close()
    return problems
