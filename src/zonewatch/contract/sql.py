"""The contract's value checks as DuckDB SQL, so ingest validates millions of rows in bulk.

An IIN is first turned into one BIGINT (`iin_number_sql`, NULL unless exactly 12 digits);
digits, birth date, sex and the check digit are then integer arithmetic on that number,
which is faster than string slicing. For bulk checks, materialise `iin_number_sql` once
as a column and use the `*_from_number_sql` forms on it (ingest does). `iin_valid_sql(col)`
is the whole check as one boolean expression; `register_macros(con)` installs macros.
"""

from __future__ import annotations

import duckdb

from zonewatch.contract.iin import WEIGHTS_1, WEIGHTS_2


def iin_number_sql(col: str) -> str:
    """SQL BIGINT of a VARCHAR IIN when it is exactly 12 digits, else NULL."""
    return f"(CASE WHEN regexp_full_match({col}, '[0-9]{{12}}') THEN CAST({col} AS BIGINT) END)"


def _digit(n: str, i: int) -> str:
    """Digit i (1-based, from the left) of the 12-digit number n."""
    return f"(({n} // {10 ** (12 - i)}) % 10)"


def _weighted(n: str, weights: tuple[int, ...]) -> str:
    return " + ".join(f"{w} * {_digit(n, i)}" for i, w in enumerate(weights, start=1))


def _parts(n: str) -> tuple[str, str, str]:
    year = f"((({_digit(n, 7)} + 1) // 2) * 100 + 1700 + {n} // 10000000000)"
    month = f"(({n} // 100000000) % 100)"
    day = f"(({n} // 1000000) % 100)"
    return year, month, day


def iin_date_ok_sql(n: str) -> str:
    """SQL boolean: digits 1-7 of the IIN number n encode a real date (century digit 1..6)."""
    year, month, day = _parts(n)
    leap = (
        f"(CASE WHEN {year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0) THEN 1 ELSE 0 END)"
    )
    last = (
        f"(CASE WHEN {month} = 2 THEN 28 + {leap} "
        f"WHEN {month} IN (4, 6, 9, 11) THEN 30 ELSE 31 END)"
    )
    return (
        f"({_digit(n, 7)} BETWEEN 1 AND 6 AND {month} BETWEEN 1 AND 12 "
        f"AND {day} BETWEEN 1 AND {last})"
    )


def iin_birth_date_from_number_sql(n: str) -> str:
    """SQL DATE encoded in the IIN number n (NULL when it encodes none)."""
    year, month, day = _parts(n)
    return f"(CASE WHEN {iin_date_ok_sql(n)} THEN make_date({year}, {month}, {day}) END)"


def iin_birth_ymd_from_number_sql(n: str) -> str:
    """SQL integer YYYYMMDD of the birth date in the IIN number n (NULL when none): cheap to
    compare with `year(d) * 10000 + month(d) * 100 + day(d)`."""
    year, month, day = _parts(n)
    return f"(CASE WHEN {iin_date_ok_sql(n)} THEN {year} * 10000 + {month} * 100 + {day} END)"


def iin_sex_from_number_sql(n: str) -> str:
    """SQL 'M'/'F' from digit 7 of the IIN number n (NULL unless 1..6)."""
    d7 = _digit(n, 7)
    return (
        f"(CASE WHEN {d7} BETWEEN 1 AND 6 THEN (CASE WHEN {d7} % 2 = 1 THEN 'M' ELSE 'F' END) END)"
    )


def iin_check_sql(n: str) -> str:
    """SQL check digit for the IIN number n (NULL when both passes give 10)."""
    s1 = f"(({_weighted(n, WEIGHTS_1)}) % 11)"
    s2 = f"(({_weighted(n, WEIGHTS_2)}) % 11)"
    return f"(CASE WHEN {s1} < 10 THEN {s1} WHEN {s2} < 10 THEN {s2} END)"


def iin_valid_from_number_sql(n: str) -> str:
    """SQL boolean: the IIN number n passes the contract's check; FALSE for NULL."""
    return f"COALESCE({iin_date_ok_sql(n)} AND {iin_check_sql(n)} = {_digit(n, 12)}, FALSE)"


def iin_valid_sql(col: str) -> str:
    """SQL boolean: `col` (VARCHAR) is a valid IIN under the contract; FALSE for NULL."""
    return iin_valid_from_number_sql(iin_number_sql(col))


def iin_birth_date_sql(col: str) -> str:
    """SQL DATE encoded in a VARCHAR IIN (NULL when it encodes none)."""
    return iin_birth_date_from_number_sql(iin_number_sql(col))


def iin_sex_sql(col: str) -> str:
    """SQL 'M'/'F' from a VARCHAR IIN's 7th digit (NULL unless 1..6)."""
    return iin_sex_from_number_sql(iin_number_sql(col))


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Install zw_iin_valid, zw_iin_birth_date and zw_iin_sex as temporary macros."""
    con.execute(f"CREATE OR REPLACE TEMP MACRO zw_iin_valid(x) AS {iin_valid_sql('x')}")
    con.execute(f"CREATE OR REPLACE TEMP MACRO zw_iin_birth_date(x) AS {iin_birth_date_sql('x')}")
    con.execute(f"CREATE OR REPLACE TEMP MACRO zw_iin_sex(x) AS {iin_sex_sql('x')}")
