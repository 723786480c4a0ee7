"""The ranked property list as CSV or XLSX, streamed: no row cap, memory bounded by a chunk.

`csv_chunks` yields the UTF-8 CSV (with BOM, so spreadsheet programs read Cyrillic right)
one chunk of rows at a time; `write_xlsx` writes an openpyxl write-only workbook (rows go
straight to the file) that a server then sends from disk.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

COLUMNS = ["rank", "property_id", "score", "registered", "area_m2", "district", "kind",
           "address", "indicators", "explanation"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header


def cells(row: dict[str, Any], columns: list[str] = COLUMNS) -> list[Any]:
    """A row's values in column order (`;`-joined lists, NaN as empty)."""
    out = []
    for c in columns:
        v = row.get(c)
        if isinstance(v, list):
            v = ";".join(v)
        elif isinstance(v, float) and v != v:
            v = None
        out.append(v)
    return out


def csv_chunks(chunks: Iterable[list[dict[str, Any]]],
               columns: list[str] = COLUMNS) -> Iterator[bytes]:
    """Header, then each chunk of rows, as UTF-8 CSV bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield ("\ufeff" + buffer.getvalue()).encode("utf-8")
    for rows in chunks:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerows(cells(r, columns) for r in rows)
        yield buffer.getvalue().encode("utf-8")


def write_xlsx(chunks: Iterable[list[dict[str, Any]]], path: Path,
               title: str = "Inspection list", columns: list[str] = COLUMNS) -> int:
    """A one-sheet workbook (bold frozen header) at `path`; returns the rows written.

    Raises ValueError past Excel's row limit (use CSV then) rather than cutting silently."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (6, 14, 8, 11, 9, 12, 12, 32, 28, 80), strict=False):
        sheet.column_dimensions[letter].width = width
    header = []
    for name in columns:
        cell = WriteOnlyCell(sheet, value=name)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    written = 0
    for rows in chunks:
        written += len(rows)
        if written > XLSX_MAX_ROWS:
            raise ValueError(f"more than {XLSX_MAX_ROWS} rows do not fit one XLSX sheet; "
                             "export CSV instead")
        for row in rows:
            sheet.append(cells(row, columns))
    book.save(path)
    return written


def frame_chunks(frame: Any, size: int = 5000) -> Iterator[list[dict[str, Any]]]:
    """A DataFrame as lists of row dicts of `size` rows."""
    for start in range(0, len(frame), size):
        yield frame.iloc[start:start + size].to_dict("records")
