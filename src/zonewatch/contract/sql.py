"""The contract's value checks as DuckDB SQL, so ingest validates millions of rows in bulk.

`iin_valid_sql(col)` expands to one boolean expression (no UDF, no Python per row);
`register_macros(con)` also installs it as the temporary macro `zw_iin_valid(x)`.
"""

from __future__ import annotations

import duckdb

from zonewatch.contract.iin import WEIGHTS_1, WEIGHTS_2


def _digit(col: str, i: int) -> str:
    return f"TRY_CAST(substr({col}, {i}, 1) AS INTEGER)"


def _weighted(col: str, weights: tuple[int, ...]) -> str:
    return " + ".join(f"{w} * {_digit(col, i)}" for i, w in enumerate(weights, start=1))


def iin_birth_date_sql(col: str) -> str:
    """SQL DATE encoded in an IIN's digits 1-7 (NULL when it encodes none)."""
    century = (
        f"CASE substr({col}, 7, 1) WHEN '1' THEN 18 WHEN '2' THEN 18 WHEN '3' THEN 19 "
        f"WHEN '4' THEN 19 WHEN '5' THEN 20 WHEN '6' THEN 20 END"
    )
    return (
        f"TRY_CAST(({century}) || substr({col}, 1, 2) || '-' || substr({col}, 3, 2) "
        f"|| '-' || substr({col}, 5, 2) AS DATE)"
    )


def iin_sex_sql(col: str) -> str:
    """SQL 'M'/'F' from an IIN's 7th digit (NULL unless 1..6)."""
    return (
        f"CASE WHEN substr({col}, 7, 1) IN ('1', '3', '5') THEN 'M' "
        f"WHEN substr({col}, 7, 1) IN ('2', '4', '6') THEN 'F' END"
    )


def iin_check_sql(col: str) -> str:
    """SQL check digit for an IIN's first 11 digits (NULL when it would be 10)."""
    s1 = f"(({_weighted(col, WEIGHTS_1)}) % 11)"
    s2 = f"(({_weighted(col, WEIGHTS_2)}) % 11)"
    return f"(CASE WHEN {s1} < 10 THEN {s1} WHEN {s2} < 10 THEN {s2} END)"


def iin_valid_sql(col: str) -> str:
    """SQL boolean: `col` (VARCHAR) is a valid IIN under the contract; FALSE for NULL."""
    return (
        f"(CASE WHEN regexp_full_match({col}, '[0-9]{{12}}') "
        f"THEN {iin_birth_date_sql(col)} IS NOT NULL "
        f"AND COALESCE({iin_check_sql(col)} = {_digit(col, 12)}, FALSE) ELSE FALSE END)"
    )


def register_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Install zw_iin_valid, zw_iin_birth_date and zw_iin_sex as temporary macros."""
    con.execute(f"CREATE OR REPLACE TEMP MACRO zw_iin_valid(x) AS {iin_valid_sql('x')}")
    con.execute(f"CREATE OR REPLACE TEMP MACRO zw_iin_birth_date(x) AS {iin_birth_date_sql('x')}")
    con.execute(f"CREATE OR REPLACE TEMP MACRO zw_iin_sex(x) AS {iin_sex_sql('x')}")
