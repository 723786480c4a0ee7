"""The extract's as-of date when none is given: the latest date the extract records.

Sources are declared per table in the contract (`as_of_sources`): start dates,
processed_at, inspected_on, event_date, occupancy.as_of and end dates of permanent
registrations; planned ends (temporary registrations, ownerships) are not used.
Only values that parse count.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from zonewatch.contract.schema import Contract
from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.rules import parses_sql, q, typed_sql


def latest_date(con: duckdb.DuckDBPyConnection, contract: Contract, present: list[str]) -> dt.date:
    """Max parsed date over the declared sources in the raw tables of `present`."""
    parts = []
    for name in present:
        table = contract.tables[name]
        for src in table.as_of_sources:
            col = table.column(src.column)
            where = f"{q(col.name)} IS NOT NULL AND {parses_sql(col)}"
            if src.where_column:
                where += f" AND {q(src.where_column)} = '{src.where_value}'"
            parts.append(
                f"SELECT max(CAST({typed_sql(col)} AS DATE)) AS d FROM raw_{name} WHERE {where}"
            )
    if not parts:
        raise IngestError("cannot determine the as-of date: no dated table; pass --as-of")
    found = con.execute(f"SELECT max(d) FROM ({' UNION ALL '.join(parts)})").fetchone()[0]
    if found is None:
        raise IngestError(
            "cannot determine the as-of date: the extract holds no valid dates; pass --as-of"
        )
    return found
