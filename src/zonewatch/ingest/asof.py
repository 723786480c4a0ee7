"""The extract's as-of date when none is given: the latest date the extract records.

Sources are declared per table in the contract (`as_of_sources`): start dates,
processed_at, inspected_on, event_date, occupancy.as_of and end dates of permanent
registrations; planned ends (temporary registrations, ownerships) are not used.
Only values that parse count, and only in rows that break no other rule (the lines of
bad_<table>): a broken row's date, say a birth date shifted by decades, must not move the
as-of.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from zonewatch.contract.schema import Contract
from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.files import LINE
from zonewatch.ingest.rules import q, typed_sql

GAP_DAYS = 365


def _sources(contract: Contract, files: dict[str, str]) -> str:
    """The files and columns the as-of is taken from, for messages."""
    return "; ".join(
        f"{files[name]} column {', '.join(s.column for s in contract.tables[name].as_of_sources)}"
        for name in files
        if contract.tables[name].as_of_sources
    )


def _dates_sql(contract: Contract, present: dict[str, str]) -> str:
    parts = []
    for name in present:
        table = contract.tables[name]
        for src in table.as_of_sources:
            col = table.column(src.column)
            # rows outside bad_<name> hold only values that parse (else bad_date/timestamp)
            where = f"{q(col.name)} IS NOT NULL AND {LINE} NOT IN (SELECT {LINE} FROM bad_{name})"
            if src.where_column:
                where += f" AND {q(src.where_column)} = '{src.where_value}'"
            parts.append(
                f"SELECT CAST({typed_sql(col)} AS DATE) AS d FROM raw_{name} WHERE {where}"
            )
    return " UNION ALL ".join(parts)


def derive_as_of(
    con: duckdb.DuckDBPyConnection, contract: Contract, present: dict[str, str]
) -> tuple[dt.date, list[str]]:
    """The latest parsed date over the declared sources, and warnings about it.

    `present` maps the extract's tables, in load order, to their file names.
    Warns when it lies more than GAP_DAYS after 99.9% of those dates (a stray date?).
    """
    dates = _dates_sql(contract, present)
    if not dates:
        raise IngestError(
            f"cannot determine the as-of date: none of {', '.join(present.values())} has a "
            f"column it is taken from; pass --as-of"
        )
    found, bulk = con.execute(f"SELECT max(d), approx_quantile(d, 0.999) FROM ({dates})").fetchone()
    if found is None:
        raise IngestError(
            f"cannot determine the as-of date: no valid row holds a valid date in "
            f"{_sources(contract, present)}; pass --as-of"
        )
    if bulk is None or (found - bulk).days <= GAP_DAYS:
        return found, []
    return found, [
        f"as-of {found.isoformat()} is {(found - bulk).days} days after 99.9% of the extract's "
        f"dates (up to {bulk.isoformat()}); a stray future date? pass --as-of to be sure"
    ]
