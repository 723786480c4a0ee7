"""The inspection list as a downloadable CSV or XLSX file (the filtered rows, all columns)."""

from __future__ import annotations

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

COLUMNS = ["rank", "property_id", "score", "registered", "area_m2", "district", "kind",
           "address", "indicators", "explanation"]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(row: dict[str, Any]) -> list[Any]:
    return [";".join(row[c]) if isinstance(row.get(c), list) else row.get(c) for c in COLUMNS]


def to_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 CSV with a header row (with BOM so spreadsheet programs read Cyrillic right)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    writer.writerows(_cells(r) for r in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: list[dict[str, Any]], title: str = "Inspection list") -> bytes:
    """One worksheet with a bold, frozen header row and readable column widths."""
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(COLUMNS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(_cells(row))
    sheet.freeze_panes = "A2"
    for letter, width in zip("ABCDEFGHIJ", (6, 14, 8, 11, 9, 12, 12, 32, 28, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
