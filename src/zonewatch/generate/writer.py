"""Formatting helpers for contract values and the CSV writer.

Ids, names and addresses are only materialised when a slice of rows is written, column by
column with Arrow compute, so memory stays proportional to a slice and not to the city.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

STREETS = ["Кенесары", "Республики", "Абая", "Сарыарка", "Кабанбай батыра", "Туран",
           "Мангилик Ел", "Сыганак", "Жубанова", "Петрова", "Бейбитшилик", "Сейфуллина",
           "Иманова", "Ауэзова", "Куйши Дина", "Момышулы", "Желтоксан", "Богенбай батыра"]
ID_FORMATS = {"person": ("P", 8), "property": ("H", 8), "org": ("C", 7), "office": ("OF", 3),
              "official": ("U", 5), "registration": ("R", 9), "inspection": ("I", 7),
              "building": ("B", 6), "ring": ("RING", 4)}
CHUNK_ROWS = 250_000


def fmt_ids(values: np.ndarray, kind: str) -> pa.Array:
    """Integer ids -> 'P00000042' strings (id + 1, zero-padded); negative values become null."""
    prefix, width = ID_FORMATS[kind]
    values = np.asarray(values, dtype=np.int64)
    nums = pc.utf8_lpad(pc.cast(pa.array(values + 1), pa.string()), width=width, padding="0")
    out = pc.binary_join_element_wise(pa.scalar(prefix), nums, "")
    return pc.if_else(pa.array(values < 0), pa.scalar(None, pa.string()), out)


def owner_ids(owner: np.ndarray, is_org: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(is_org), fmt_ids(owner, "org"), fmt_ids(owner, "person"))


def enum(codes: np.ndarray, values: list[str]) -> pa.Array:
    """Integer codes -> strings; negative codes become null."""
    codes = np.asarray(codes, dtype=np.int64)
    table = pa.array(list(values) + [None], pa.string())
    return pc.take(table, pa.array(np.where(codes < 0, len(values), codes)))


def dates(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), from_pandas=True)


def _write_rows(table: pa.Table, fh) -> None:
    pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False, quoting_style="needed"))


def write_table(table: pa.Table, path: Path) -> None:
    """CSV with a plain header line; empty cell = null."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        _write_rows(table, fh)


def write_in_slices(build: Callable[[slice], pa.Table], n_rows: int, path: Path,
                    chunk: int = CHUNK_ROWS) -> list[str]:
    """Write a table built slice by slice; returns its column names."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first = build(slice(0, min(chunk, n_rows)))
    with path.open("wb") as fh:
        fh.write((",".join(first.column_names) + "\n").encode())
        _write_rows(first, fh)
        for lo in range(chunk, n_rows, chunk):
            _write_rows(build(slice(lo, min(lo + chunk, n_rows))), fh)
    return first.column_names


def append_rows(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    """Append hand-made rows (possibly broken on purpose) to a written CSV."""
    with path.open("a", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        for row in rows:
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})
