"""Vectorised generation of valid Kazakhstan IINs and BINs for synthetic records.

The contract's check digit: s = sum(d_i * i) mod 11; if 10, s = sum(d_i * w_i) mod 11 with
w = 3..11,1,2; a number whose check is still 10 is invalid, so its serial is re-drawn.
Validation of real input lives in `zonewatch.contract`; this module only makes numbers.
"""

from __future__ import annotations

import numpy as np

W1 = np.arange(1, 12, dtype=np.int64)
W2 = np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], dtype=np.int64)
CHUNK = 200_000


def check_digits(digits: np.ndarray) -> np.ndarray:
    """Check digit for each row of an (n, 11) digit matrix; 10 means no valid check exists."""
    s = (digits @ W1) % 11
    s2 = (digits @ W2) % 11
    return np.where(s == 10, s2, s)


def _digits_of(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def _serials(key: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Serials unique within each prefix key: a random base per key plus 7 x the row's rank."""
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    rank = np.empty(len(key), np.int64)
    rank[order] = np.arange(len(key)) - np.searchsorted(sorted_key, sorted_key)
    salt = int(rng.integers(0, 10_000))
    return ((key * 2_654_435_761 + salt) % 10_000 + 7 * rank) % 10_000


def _assemble(prefix: np.ndarray, serial: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(m, 7) prefixes + serials -> (m, 12) digits; a serial whose check would be 10 moves up
    by one (at most 6 times, staying clear of the next row's serial)."""
    m = len(prefix)
    out = np.zeros((m, 12), dtype=np.int64)
    out[:, :7] = prefix
    todo = np.arange(m)
    for bump in range(7):
        out[todo, 7:11] = _digits_of((serial[todo] + bump) % 10_000, 4)
        check = check_digits(out[todo, :11])
        ok = check != 10
        out[todo[ok], 11] = check[ok]
        todo = todo[~ok]
        if not len(todo):
            return out
    while len(todo):  # practically never: 7 checks of 10 in a row
        out[todo, 7:11] = _digits_of(rng.integers(0, 10_000, len(todo)), 4)
        check = check_digits(out[todo, :11])
        out[todo[check != 10], 11] = check[check != 10]
        todo = todo[check == 10]
    return out


def digits_to_strings(digits: np.ndarray) -> np.ndarray:
    """(n, 12) digit matrix -> array of 12-byte ASCII strings (numpy 'S12')."""
    as_bytes = (digits.astype(np.uint8) + ord("0")).tobytes()
    return np.frombuffer(as_bytes, dtype="S12").copy()


def _date_parts(days: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    d = days.astype("datetime64[D]")
    year = d.astype("datetime64[Y]").astype(np.int64) + 1970
    month = d.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
    return year, month, day


def make_iins(birth: np.ndarray, male: np.ndarray, rng: np.random.Generator,
              chunk: int = CHUNK) -> np.ndarray:
    """Valid, unique IINs ('S12') for birth dates (datetime64[D]) and sexes."""
    year, month, day = _date_parts(birth)
    century = np.select([year < 1900, year < 2000], [1, 3], 5) + (~male.astype(bool))
    key = ((year % 100) * 10_000 + month * 100 + day) * 10 + century
    serial = _serials(key, rng)
    out = np.zeros(len(key), dtype="S12")
    for lo in range(0, len(key), chunk):
        sl = slice(lo, lo + chunk)
        out[sl] = digits_to_strings(_assemble(_digits_of(key[sl], 7), serial[sl], rng))
    return out


def make_bins(registered: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Valid BINs ('S12'): YYMM of registration, 4 (resident legal entity), 0 (head office)."""
    year, month, _ = _date_parts(registered)
    key = ((year % 100) * 100 + month) * 1000 + 400 + rng.integers(0, 10, len(year))
    return digits_to_strings(_assemble(_digits_of(key, 7), _serials(key, rng), rng))
