"""Dates and timestamps as the contract writes them: `YYYY-MM-DD` and ISO 8601."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def clean(value: object) -> str | None:
    """Strip whitespace; None for empty input. Does not validate."""
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_date(text: str | None) -> dt.date | None:
    """The date for a strict `YYYY-MM-DD` string, else None."""
    if text is None or not _DATE.fullmatch(text):
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def validate_date(text: str | None) -> bool:
    """True for a real calendar date written `YYYY-MM-DD`."""
    return parse_date(text) is not None


def validate_timestamp(text: str | None) -> bool:
    """True for an ISO 8601 timestamp (date, `T` or space, time, optional offset)."""
    if text is None or not _DATE.fullmatch(text[:10]):
        return False
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


# The same checks in DuckDB SQL; {col} is a VARCHAR expression.
SQL_DATE = (
    "(regexp_full_match({col}, '[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
    "AND TRY_CAST({col} AS DATE) IS NOT NULL)"
)
SQL_TIMESTAMP = (
    "(regexp_matches({col}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}') "
    "AND TRY_CAST({col} AS TIMESTAMP) IS NOT NULL)"
)
