"""The Kazakhstan business identification number (BIN): the contract asks for 12 digits."""

from __future__ import annotations

import re

_DIGITS = re.compile(r"\d{12}")


def clean(value: object) -> str | None:
    """Strip spaces and dashes; None for empty input. Does not validate."""
    if value is None:
        return None
    text = re.sub(r"[\s-]", "", str(value))
    return text or None


def validate(bin_number: str | None) -> bool:
    """True when `bin_number` is exactly 12 digits."""
    return bin_number is not None and _DIGITS.fullmatch(bin_number) is not None


SQL_CHECK = "regexp_full_match({col}, '[0-9]{{12}}')"
