"""Turn an indicator's explanation template and its figure columns into sentences.

Vectorised over a whole result frame: each placeholder becomes one formatted column.
"""

from __future__ import annotations

import datetime as dt
import math
import string
from typing import Any

import pandas as pd

_FORMATTER = string.Formatter()


def template_fields(template: str) -> list[str]:
    """Names of the `{fields}` a template uses."""
    return [f for _, f, _, _ in _FORMATTER.parse(template) if f]


def format_value(value: Any, spec: str = "") -> str:
    """One figure as text: `?` for null, integral floats without decimals, dates ISO."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return "?"
    if isinstance(value, pd.Timestamp):
        value = value.date() if value == value.normalize() else value.to_pydatetime()
    if spec:
        try:
            return format(value, spec)
        except (TypeError, ValueError):
            return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:.1f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def render(template: str, frame: pd.DataFrame, constants: dict[str, Any]) -> pd.Series:
    """One sentence per row of `frame` from `template`; constants fill fields not in frame."""
    out = pd.Series([""] * len(frame), index=frame.index, dtype=object)
    for literal_text, field, spec, _conv in _FORMATTER.parse(template):
        out = out + literal_text
        if field is None:
            continue
        if field in frame.columns:
            column = frame[field].astype(object)
            out = out + column.map(lambda v, s=spec: format_value(v, s or ""))
        elif field in constants:
            out = out + format_value(constants[field], spec or "")
        else:
            raise KeyError(f"explanation uses {{{field}}} but the SQL returns no such column")
    return out
