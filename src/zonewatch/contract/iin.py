"""The Kazakhstan individual identification number (IIN), exactly as the contract defines it.

12 digits: YYMMDD birth date, a century/sex digit (1/2 1800s, 3/4 1900s, 5/6 2000s; odd
male, even female), four serial digits and a check digit computed with weights 1..11,
or, when that gives 10, with weights 3..11,1,2; a number whose check is still 10 is invalid.
"""

from __future__ import annotations

import datetime as dt
import re

WEIGHTS_1 = tuple(range(1, 12))
WEIGHTS_2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)
CENTURIES = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}

_DIGITS = re.compile(r"\d{12}")


def check_digit(first11: str) -> int | None:
    """The check digit for the first 11 digits, or None when no digit is possible."""
    digits = [int(c) for c in first11]
    if len(digits) != 11:
        raise ValueError(f"need 11 digits, got {first11!r}")
    s = sum(d * w for d, w in zip(digits, WEIGHTS_1, strict=True)) % 11
    if s == 10:
        s = sum(d * w for d, w in zip(digits, WEIGHTS_2, strict=True)) % 11
    return None if s == 10 else s


def birth_date(iin: str) -> dt.date | None:
    """The birth date encoded in an IIN, or None when digits 1-7 encode no date."""
    if not _DIGITS.fullmatch(iin):
        return None
    century = CENTURIES.get(int(iin[6]))
    if century is None:
        return None
    try:
        return dt.date(century + int(iin[0:2]), int(iin[2:4]), int(iin[4:6]))
    except ValueError:
        return None


def sex(iin: str) -> str | None:
    """'M' or 'F' from the 7th digit (odd male, even female), None if it is not 1..6."""
    if len(iin) < 7 or not iin[6].isdigit() or int(iin[6]) not in CENTURIES:
        return None
    return "M" if int(iin[6]) % 2 == 1 else "F"


def clean(value: object) -> str | None:
    """Strip spaces and dashes; None for empty input. Does not validate."""
    if value is None:
        return None
    text = re.sub(r"[\s-]", "", str(value))
    return text or None


def validate(iin: str | None) -> bool:
    """True when `iin` is a valid IIN under the contract's rules."""
    if iin is None or not _DIGITS.fullmatch(iin) or birth_date(iin) is None:
        return False
    return check_digit(iin[:11]) == int(iin[11])


def agrees(iin: str, born: dt.date | None, person_sex: str | None) -> bool:
    """True when the given birth date and sex (where given) match a valid IIN."""
    if born is not None and birth_date(iin) != born:
        return False
    return person_sex is None or sex(iin) == person_sex


def make(born: dt.date, person_sex: str, serial: int) -> str | None:
    """Build the IIN for a birth date, sex and 4-digit serial; None when its check would be 10."""
    first = {1800: 1, 1900: 3, 2000: 5}[born.year // 100 * 100]
    digit7 = first if person_sex == "M" else first + 1
    first11 = f"{born:%y%m%d}{digit7}{serial:04d}"
    check = check_digit(first11)
    return None if check is None else f"{first11}{check}"
