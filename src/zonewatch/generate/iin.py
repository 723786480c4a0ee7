"""Vectorised generation of valid Kazakhstan IINs and BINs for synthetic records.

The contract's check digit: s = sum(d_i * i) mod 11; if 10, s = sum(d_i * w_i) mod 11 with
w = 3..11,1,2; a number whose check is still 10 is invalid, so its serial is re-drawn.
Validation of real input lives in `zonewatch.contract`; this module only makes numbers.
"""

from __future__ import annotations

import numpy as np

W1 = np.arange(1, 12, dtype=np.int64)
W2 = np.array([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], dtype=np.int64)


def check_digits(digits: np.ndarray) -> np.ndarray:
    """Check digit for each row of an (n, 11) digit matrix; 10 means no valid check exists."""
    s = (digits @ W1) % 11
    s2 = (digits @ W2) % 11
    return np.where(s == 10, s2, s)


def _digits_of(values: np.ndarray, width: int) -> np.ndarray:
    powers = 10 ** np.arange(width - 1, -1, -1, dtype=np.int64)
    return (values[:, None] // powers[None, :]) % 10


def _finish(prefix: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Append 4 serial digits and the check digit to (n, 7) prefixes.

    Serials are unique within a prefix (same birth date and sex): a random base per prefix
    plus 7 x the row's rank among its prefix; a serial whose check would be 10 moves up by
    one (at most 6 times, staying clear of the next row's serial).
    """
    n = len(prefix)
    out = np.zeros((n, 12), dtype=np.int64)
    out[:, :7] = prefix
    key = prefix @ (10 ** np.arange(6, -1, -1, dtype=np.int64))
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - np.searchsorted(sorted_key, sorted_key)
    salt = int(rng.integers(0, 10_000))
    base = (key * 2_654_435_761 + salt) % 10_000
    serial = (base + 7 * rank) % 10_000
    todo = np.arange(n)
    for bump in range(7):
        out[todo, 7:11] = _digits_of((serial[todo] + bump) % 10_000, 4)
        check = check_digits(out[todo, :11])
        ok = check != 10
        out[todo[ok], 11] = check[ok]
        todo = todo[~ok]
        if not len(todo):
            break
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


def make_iins(birth: np.ndarray, male: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Valid IIN digit matrices (n, 12) for birth dates (datetime64[D]) and sexes."""
    b = birth.astype("datetime64[D]")
    year = b.astype("datetime64[Y]").astype(np.int64) + 1970
    month = b.astype("datetime64[M]").astype(np.int64) % 12 + 1
    day = (b - b.astype("datetime64[M]")).astype(np.int64) + 1
    century = np.select([year < 1900, year < 2000], [1, 3], 5) + (~male.astype(bool))
    prefix = np.column_stack(
        [
            _digits_of(year % 100, 2),
            _digits_of(month, 2),
            _digits_of(day, 2),
            century[:, None],
        ]
    )
    return _finish(prefix, rng)


def make_bins(registered: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Valid BIN digits: YYMM of registration, 4 (resident legal entity), 0 (head office)."""
    r = registered.astype("datetime64[M]").astype(np.int64)
    year, month = r // 12 + 1970, r % 12 + 1
    n = len(registered)
    prefix = np.column_stack(
        [
            _digits_of(year % 100, 2),
            _digits_of(month, 2),
            np.full((n, 1), 4),
            np.zeros((n, 1), dtype=np.int64),
            rng.integers(0, 10, (n, 1)),
        ]
    )
    return _finish(prefix, rng)
