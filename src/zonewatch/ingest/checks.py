"""Rules that look beyond one row: unique keys and references.

Duplicate keys: the first row by line number keeps the key, every later copy goes to
quarantine as `duplicate_key` (even when the first copy is itself quarantined for
another reason, so the outcome never depends on which rules a copy breaks).
References resolve against the *accepted* rows of tables loaded earlier, so a
registration whose person was quarantined is quarantined as `dangling_reference`.
A reference into an optional table absent from the extract cannot be checked; it is
listed in the report's `unchecked_references` and the row is kept.
"""

from __future__ import annotations

from zonewatch.contract.schema import Table
from zonewatch.ingest.files import LINE
from zonewatch.ingest.rules import q


def duplicate_sql(table: Table) -> str | None:
    """SELECT (line, rule, column_name, value) for every later copy of a key; None if keyless."""
    if not table.key:
        return None
    keys = ", ".join(q(k) for k in table.key)
    not_null = " AND ".join(f"{q(k)} IS NOT NULL" for k in table.key)
    return (
        f"SELECT {LINE}, 'duplicate_key' AS rule, '{'+'.join(table.key)}' AS column_name, "
        f"concat_ws('|', {keys}) AS value FROM ("
        f"SELECT *, row_number() OVER (PARTITION BY {keys} ORDER BY {LINE}) AS zw_copy "
        f"FROM raw_{table.name} WHERE {not_null}) WHERE zw_copy > 1"
    )


def reference_sql(table: Table, loaded: set[str]) -> tuple[list[str], list[str]]:
    """SELECTs for dangling references into `loaded` tables, and the references left unchecked."""
    selects: list[str] = []
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
            where = f"r.{q(col.name)} IS NOT NULL"
            if col.reference.by:
                where += f" AND r.{q(col.reference.by)} = '{value}'"
            selects.append(
                f"SELECT r.{LINE}, 'dangling_reference' AS rule, '{col.name}' AS column_name, "
                f"r.{q(col.name)} AS value FROM raw_{table.name} r "
                f"ANTI JOIN {q(t_table)} t ON t.{q(t_col)} = r.{q(col.name)} WHERE {where}"
            )
    return selects, unchecked
