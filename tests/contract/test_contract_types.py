"""BIN and date value types, Python and SQL."""

from __future__ import annotations

import duckdb
import pytest

from zonewatch.contract import bin as bin_type
from zonewatch.contract import dates

DATES = [
    ("2024-02-29", True),
    ("2023-02-29", False),
    ("2024-1-05", False),
    ("05.01.2024", False),
    ("2024-01-05T00:00", False),
    ("", False),
]
TIMESTAMPS = [
    ("2024-01-05T10:15:00", True),
    ("2024-01-05 10:15:00", True),
    ("2024-01-05T10:15:00+06:00", True),
    ("2024-01-05", True),
    ("2024-13-05T10:15:00", False),
    ("10:15 05.01.2024", False),
]


def _sql_check(sql: str, params: list) -> bool:
    """Evaluate a validity expression on a fresh DuckDB connection (no shared state)."""
    with duckdb.connect() as con:
        return bool(con.execute(f"SELECT COALESCE({sql}, FALSE)", params).fetchall()[0][0])


@pytest.mark.parametrize(("text", "ok"), DATES)
def test_dates_python_and_sql(text, ok):
    assert dates.validate_date(text) is ok
    sql = dates.SQL_DATE.format(col="?")
    assert _sql_check(sql, [text] * 2) is ok


@pytest.mark.parametrize(("text", "ok"), TIMESTAMPS)
def test_timestamps_python_and_sql(text, ok):
    assert dates.validate_timestamp(text) is ok
    sql = dates.SQL_TIMESTAMP.format(col="?")
    assert _sql_check(sql, [text] * 2) is ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [("123456789012", True), ("12345678901", False), ("12345678901a", False), (None, False)],
)
def test_bin(text, ok):
    assert bin_type.validate(text) is ok
    sql = bin_type.SQL_CHECK.format(col="?")
    assert _sql_check(sql, [text]) is ok
    assert bin_type.clean(" 1234 5678-9012 ") == "123456789012"
