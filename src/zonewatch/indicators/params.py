"""Safe parameter substitution: `${name}` becomes a SQL literal, never raw text."""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

PLACEHOLDER = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def literal(value: Any) -> str:
    """The SQL literal for a number, date, boolean, string or list of those."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"parameter value {value!r} is not a finite number")
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"TIMESTAMP '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, (list, tuple)):
        if not value:
            raise ValueError("a list parameter must not be empty")
        return "(" + ", ".join(literal(v) for v in value) + ")"
    if isinstance(value, str):
        if ISO_DATE.match(value):
            dt.date.fromisoformat(value)  # raises on 2026-02-30
            return f"DATE '{value}'"
        return "'" + value.replace("'", "''") + "'"
    raise ValueError(f"parameter value {value!r} of type {type(value).__name__} is not allowed")


def substitute(sql: str, values: dict[str, Any], where: str = "") -> str:
    """Replace every `${name}` in `sql` with the literal of `values[name]`."""

    def repl(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise KeyError(f"{where}: unknown parameter ${{{name}}}")
        try:
            return literal(values[name])
        except ValueError as exc:
            raise ValueError(f"{where}: parameter {name}: {exc}") from exc

    return PLACEHOLDER.sub(repl, sql)
