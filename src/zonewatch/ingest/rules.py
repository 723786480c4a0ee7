"""The contract's row-level validity rules as SQL over a raw (all-VARCHAR) table.

Each rule yields `(rule, column, condition)`: the condition is true on the raw rows that
break it. Rule ids are stable strings that appear in quarantine and in the report:

missing_value, bad_date, bad_timestamp, bad_number, bad_integer, bad_boolean, bad_enum,
bad_iin, bad_bin, bad_country, out_of_range, future_date, end_before_start,
iin_birth_date_mismatch, iin_sex_mismatch (plus duplicate_key and dangling_reference,
which need other rows and live in checks.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from zonewatch.contract import dates
from zonewatch.contract.bin import SQL_CHECK as BIN_SQL
from zonewatch.contract.schema import Column, Table
from zonewatch.contract.sql import (
    iin_birth_ymd_from_number_sql,
    iin_number_sql,
    iin_sex_from_number_sql,
    iin_valid_from_number_sql,
)

RULE_IDS = (
    "missing_value", "bad_date", "bad_timestamp", "bad_number", "bad_integer", "bad_boolean",
    "bad_enum", "bad_iin", "bad_bin", "bad_country", "out_of_range", "future_date",
    "end_before_start", "iin_birth_date_mismatch", "iin_sex_mismatch", "duplicate_key",
    "dangling_reference",
)  # fmt: skip


@dataclass(frozen=True)
class Rule:
    """A rule broken by the raw rows where `condition` holds; reported on `column`."""

    rule: str
    column: str
    condition: str


def q(name: str) -> str:
    """Quote an identifier."""
    return '"' + name.replace('"', '""') + '"'


def helper_name(col: str) -> str:
    """The raw-table helper column holding an IIN column as one BIGINT (see helper_columns)."""
    return q(f"__zw_{col}_n")


def helper_columns(table: Table, present: set[str]) -> dict[str, str]:
    """Helper columns computed while reading, once per row: {quoted name: SQL}.

    `present` are the file's columns; an absent IIN column gives a NULL helper.
    """
    return {
        helper_name(c.name): (
            iin_number_sql(f"CAST({q(c.name)} AS VARCHAR)")
            if c.name in present
            else "CAST(NULL AS BIGINT)"
        )
        for c in table.columns
        if c.check == "iin"
    }


def parses_sql(col: Column) -> str:
    """SQL boolean: the (non-null) raw value of `col` parses as its type."""
    c = f"trim({q(col.name)})"
    if col.type == "date":
        return dates.SQL_DATE.format(col=c)
    if col.type == "timestamp":
        return dates.SQL_TIMESTAMP.format(col=c)
    if col.type == "number":
        return f"COALESCE(isfinite(TRY_CAST({c} AS DOUBLE)), FALSE)"
    if col.type == "integer":
        return (
            f"COALESCE(TRY_CAST({c} AS DOUBLE) = floor(TRY_CAST({c} AS DOUBLE)) "
            f"AND abs(TRY_CAST({c} AS DOUBLE)) < 9e15, FALSE)"
        )
    if col.type == "boolean":
        return f"TRY_CAST({c} AS BOOLEAN) IS NOT NULL"
    if col.type == "enum":
        values = ", ".join("'" + v.replace("'", "''") + "'" for v in col.values)
        return f"{q(col.name)} IN ({values})"
    return "TRUE"


def typed_sql(col: Column) -> str:
    """SQL for the typed value of `col` from its raw VARCHAR (NULL when it does not parse)."""
    c = f"trim({q(col.name)})"
    if col.type == "date":
        return f"TRY_CAST({c} AS DATE)"
    if col.type == "timestamp":
        return f"TRY_CAST({c} AS TIMESTAMP)"
    if col.type == "number":
        return f"TRY_CAST({c} AS DOUBLE)"
    if col.type == "integer":
        return f"TRY_CAST(TRY_CAST({c} AS DOUBLE) AS BIGINT)"
    if col.type == "boolean":
        return f"TRY_CAST({c} AS BOOLEAN)"
    return q(col.name)


def _ok(col: Column) -> str:
    return f"({q(col.name)} IS NOT NULL AND {parses_sql(col)})"


def column_rules(col: Column) -> list[Rule]:
    """The rules one column enforces on its own (all but future_date)."""
    name = q(col.name)
    rules: list[Rule] = []
    if not col.nullable:
        rules.append(Rule("missing_value", col.name, f"{name} IS NULL"))
    if col.type != "string":
        bad = "bad_enum" if col.type == "enum" else f"bad_{col.type}"
        rules.append(Rule(bad, col.name, f"{name} IS NOT NULL AND NOT ({parses_sql(col)})"))
    value, bounds = typed_sql(col), []
    if col.min is not None:
        bounds.append(f"{value} >= {col.min}")
    if col.max is not None:
        bounds.append(f"{value} <= {col.max}")
    if col.min_exclusive is not None:
        bounds.append(f"{value} > {col.min_exclusive}")
    if bounds:
        test = " AND ".join(bounds)
        rules.append(Rule("out_of_range", col.name, f"{_ok(col)} AND NOT ({test})"))
    if col.check == "iin":
        valid = iin_valid_from_number_sql(helper_name(col.name))
        rules.append(Rule("bad_iin", col.name, f"{name} IS NOT NULL AND NOT {valid}"))
    elif col.check == "bin":
        check = BIN_SQL.format(col=name)
        rules.append(Rule("bad_bin", col.name, f"{name} IS NOT NULL AND NOT {check}"))
    elif col.check == "country":
        check = f"regexp_full_match({name}, '[A-Z]{{3}}')"
        rules.append(Rule("bad_country", col.name, f"{name} IS NOT NULL AND NOT {check}"))
    return rules


def future_rules(table: Table, as_of: dt.date) -> list[Rule]:
    """future_date for every date/timestamp column that may not lie after the as-of.

    A valid value starts with its date as YYYY-MM-DD, so comparing that text with the
    as-of's first skips the parse for the (nearly all) rows that are not after it.
    """
    rules = []
    day = as_of.isoformat()
    for col in table.columns:
        if col.type in ("date", "timestamp") and not col.may_be_future:
            text = f"left(trim({q(col.name)}), 10) > '{day}'"
            after = f"CAST({typed_sql(col)} AS DATE) > DATE '{day}'"
            rules.append(Rule("future_date", col.name, f"{text} AND {_ok(col)} AND {after}"))
    return rules


def table_rules(table: Table) -> list[Rule]:
    """Row-level rules that do not depend on the as-of: per column, date order, IIN agreement."""
    rules = [r for col in table.columns for r in column_rules(col)]
    for earlier, later in table.order_rules:
        e, lt = table.column(earlier), table.column(later)
        cond = f"{_ok(e)} AND {_ok(lt)} AND {typed_sql(lt)} < {typed_sql(e)}"
        rules.append(Rule("end_before_start", later, cond))
    if table.iin_agreement:
        n = helper_name("iin")
        valid = iin_valid_from_number_sql(n)
        born = table.column("birth_date")
        d = typed_sql(born)
        ymd = f"(year({d}) * 10000 + month({d}) * 100 + day({d}))"
        rules.append(Rule(
            "iin_birth_date_mismatch", "birth_date",
            f"{valid} AND {_ok(born)} AND {iin_birth_ymd_from_number_sql(n)} <> {ymd}",
        ))  # fmt: skip
        sex = f"{_ok(table.column('sex'))} AND {iin_sex_from_number_sql(n)} <> {q('sex')}"
        rules.append(Rule("iin_sex_mismatch", "sex", f"{valid} AND {sex}"))
    return rules
