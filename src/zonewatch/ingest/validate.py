"""Set-based validation: every rule of a table evaluated in one pass, as boolean columns.

`check_table` scans the all-VARCHAR raw table once, evaluating every rule that needs
neither the as-of nor other tables (row rules, duplicate keys), and keeps the failing
lines with one flag column per rule: `bad_<table>(line, flags...)`, small next to the data.
`future_date` and references are flagged the same way later (`later_failures`,
`late_<table>`), once the as-of and the accepted rows of earlier tables are known.
`load_table` then writes the accepted rows typed, once, and the failures into quarantine,
one row per rule and column broken (values and keys read back from the raw row).

Duplicate keys: the first row by line number keeps the key, every later copy goes to
quarantine as `duplicate_key` (even when the first copy is itself quarantined for
another reason, so the outcome never depends on which rules a copy breaks).
References resolve against the *accepted* rows of tables loaded earlier, so a
registration whose person was quarantined is quarantined as `dangling_reference`.
A reference into an optional table absent from the extract cannot be checked; it is
listed in the report's `unchecked_references` and the row is kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from zonewatch.contract.schema import Table
from zonewatch.ingest.files import LINE
from zonewatch.ingest.rules import (
    Rule,
    future_rules,
    helper_columns,
    q,
    table_rules,
    typed_sql,
)

DUP = "__zw_dup"


@dataclass(frozen=True)
class Failure:
    """One way a row can fail: the rule, the column reported, the SQL flag and the value."""

    rule: str
    column: str
    flag: str  # SQL boolean over the raw row r, or a flag column of bad_<table>
    value: str  # SQL value reported in quarantine


def bad(table: Table) -> str:
    """Name of the table of lines failing a row rule or duplicate_key, with their flags."""
    return f"bad_{table.name}"


def _flag(i: int) -> str:
    return q(f"__zw_f{i}")


def row_failures(table: Table) -> list[Failure]:
    """The row rules and duplicate_key, as flags stored in bad_<table>."""
    failures = [
        Failure(r.rule, r.column, _flag(i), f"CAST(r.{q(r.column)} AS VARCHAR)")
        for i, r in enumerate(table_rules(table))
    ]
    if table.key:
        keys = ", ".join(f"r.{q(k)}" for k in table.key)
        failures.append(
            Failure("duplicate_key", "+".join(table.key), DUP, f"concat_ws('|', {keys})")
        )
    return failures


def check_table(con: duckdb.DuckDBPyConnection, table: Table, present: set[str]) -> None:
    """Build bad_<table>(line, flags...) from raw_<table> in one pass.

    The scan's filter is the OR of every rule (DuckDB skips the remaining rules of a row
    once one holds); the flag columns are computed only for the few failing rows.
    """
    rules = table_rules(table)
    raw = f"raw_{table.name}"
    helpers = ", ".join(f"{sql} AS {name}" for name, sql in helper_columns(table, present).items())
    source = f"(SELECT *{', ' + helpers if helpers else ''} FROM {raw})"
    conditions = [f"({r.condition})" for r in rules]
    flags = [f"coalesce({c}, FALSE) AS {_flag(i)}" for i, c in enumerate(conditions)]
    join = ""
    if table.key:
        # the first row by line keeps a key: a later copy is a duplicate (one small
        # aggregate of the repeated keys, joined back, instead of a window over every row)
        keys = ", ".join(f"{q(k)} AS __zw_k{i}" for i, k in enumerate(table.key))
        group = ", ".join(f"__zw_k{i}" for i in range(len(table.key)))
        not_null = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
        on = " AND ".join(f"d.__zw_k{i} = s.{q(k)}" for i, k in enumerate(table.key))
        join = (
            f"LEFT JOIN (SELECT {keys}, min({LINE}) AS __zw_first FROM {raw} WHERE {not_null} "
            f"GROUP BY {group} HAVING count(*) > 1) d ON {on}"
        )
        dup = f"(s.{LINE} > d.__zw_first)"
        conditions.append(dup)
        flags.append(f"coalesce({dup}, FALSE) AS {DUP}")
    where = " OR ".join(conditions) or "FALSE"
    columns = "".join(", " + f for f in flags)
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {bad(table)} AS SELECT s.{LINE}{columns} "
        f"FROM {source} s {join} WHERE {where}"
    )


def later_failures(
    table: Table, as_of: dt.date, loaded: set[str]
) -> tuple[list[Failure], list[str]]:
    """future_date and dangling_reference as flags over raw_<table> r; unchecked references."""
    failures = [_plain(r) for r in future_rules(table, as_of)]
    unchecked: list[str] = []
    for col in table.columns:
        if col.reference is None:
            continue
        for value, target in col.reference.targets.items():
            t_table, t_col = target.split(".")
            label = f"{col.name} -> {target}" + (f" ({col.reference.by}={value})" if value else "")
            if t_table not in loaded:
                unchecked.append(label)
                continue
            flag = f"r.{q(col.name)} IS NOT NULL"
            if col.reference.by:
                flag += f" AND r.{q(col.reference.by)} = '{value}'"
            flag += f" AND r.{q(col.name)} NOT IN (SELECT {q(t_col)} FROM {q(t_table)})"
            failures.append(
                Failure("dangling_reference", col.name, flag, f"r.{q(col.name)}")
            )
    return failures, unchecked


def _plain(rule: Rule) -> Failure:
    """A rule evaluated on the fly (its condition reads the raw columns of r)."""
    return Failure(rule.rule, rule.column, f"({rule.condition})",
                   f"CAST(r.{q(rule.column)} AS VARCHAR)")


def row_key_sql(keys: tuple[str, ...]) -> str:
    """SQL naming a row `r` by its key parts joined with '|' (NULL when all are null)."""
    if not keys:
        return "NULL"
    parts = [f"r.{q(k)}" for k in keys]
    all_null = " AND ".join(f"{p} IS NULL" for p in parts)
    joined = ", ".join(f"coalesce({p}, '')" for p in parts)
    return f"CASE WHEN {all_null} THEN NULL ELSE concat_ws('|', {joined}) END"


def load_table(
    con: duckdb.DuckDBPyConnection, table: Table, extra: list[str], later: list[Failure]
) -> tuple[int, int, dict[str, int]]:
    """Write accepted rows typed and failures to quarantine; (read, quarantined, by rule).

    Flags evaluated late (future dates, references) are first computed once into
    late_<table>, the lines they reject, so the typed insert and quarantine agree.
    """
    raw, early, late = f"raw_{table.name}", bad(table), f"late_{table.name}"
    cols = "".join(f", {f.flag} AS {_flag(i)}" for i, f in enumerate(later))
    any_late = " OR ".join(f"({f.flag})" for f in later) or "FALSE"
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {late} AS SELECT r.{LINE}{cols} "
        f"FROM {raw} r WHERE {any_late}"
    )
    columns = [f"{q(c.name)} {c.sql_type}" for c in table.columns]
    columns += [f"{q(c)} VARCHAR" for c in extra]
    con.execute(f"CREATE TABLE {q(table.name)} ({', '.join(columns)})")
    values = [f"{typed_sql(c)} AS {q(c.name)}" for c in table.columns] + [q(c) for c in extra]
    con.execute(
        f"INSERT INTO {q(table.name)} SELECT {', '.join(values)} FROM {raw} WHERE {LINE} "
        f"NOT IN (SELECT {LINE} FROM {early} UNION ALL SELECT {LINE} FROM {late}) "
        f"ORDER BY {LINE}"
    )
    key = row_key_sql(table.row_key or table.key)
    parts = []
    # the raw text of the few failing rows, fetched once per kind of flag
    for kind, flags, failures in (("early", early, row_failures(table)),
                                  ("late", late, later)):
        if not failures:
            continue
        rows = f"q{kind}_{table.name}"
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {rows} AS SELECT r.*, b.* EXCLUDE ({LINE}) "
            f"FROM {flags} b JOIN {raw} r USING ({LINE})"
        )
        names = [f.flag if kind == "early" else _flag(i) for i, f in enumerate(failures)]
        parts += [
            f"SELECT r.{LINE} AS line, '{f.rule}' AS rule, '{f.column}' AS column_name, "
            f"{f.value} AS value, {key} AS row_key FROM {rows} r WHERE r.{name}"
            for f, name in zip(failures, names, strict=True)
        ]
    if parts:
        con.execute(
            f"INSERT INTO quarantine SELECT '{table.name}', row_key, line, rule, column_name, "
            f"value FROM ({' UNION ALL '.join(parts)}) ORDER BY line, rule, column_name"
        )
    read = con.execute(f"SELECT count(*) FROM {raw}").fetchone()[0]
    by_rule = dict(
        con.execute(
            "SELECT rule, count(DISTINCT line_number) FROM quarantine WHERE table_name = ? "
            "GROUP BY rule ORDER BY rule", [table.name]
        ).fetchall()
    )
    quarantined = con.execute(
        "SELECT count(DISTINCT line_number) FROM quarantine WHERE table_name = ?", [table.name]
    ).fetchone()[0]
    con.execute(
        f"DROP TABLE IF EXISTS qearly_{table.name}; DROP TABLE IF EXISTS qlate_{table.name}; "
        f"DROP TABLE {early}; DROP TABLE {late}; DROP VIEW {raw}; DROP TABLE {raw}_data"
    )
    return read, quarantined, by_rule
