"""Hits of the owner, official and office indicators declared as YAML (plain SQL).

The analysis runner evaluates them after `property_scores` and stores them in
`indicator_hits` (with the user's settings: weights, params, disabled ones), which we then
read as they are. Without that table (a standalone call) we run the same definitions here
with the same runner and default settings, so the figures never come from two code paths.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from zonewatch.engine.base import EngineError
from zonewatch.engine.duckdb_backend import DuckDBBackend
from zonewatch.indicators import (
    HIT_COLUMNS,
    load_indicators,
    load_settings,
    prepare,
    run_indicators,
)
from zonewatch.network.base import has_table

ENTITIES = ("owner", "official", "office")


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    rows = con.execute("SELECT table_name FROM information_schema.tables").fetchall()
    return {r[0] for r in rows}


def entity_hits(
    con: duckdb.DuckDBPyConnection, as_of: dt.date
) -> tuple[pd.DataFrame, dict[str, str], bool]:
    """Owner/official/office hits (HIT_COLUMNS), the indicators skipped with why, and
    whether we ran them here (then they belong in our evidence; else the runner has them)."""
    if has_table(con, "indicator_hits"):  # the runner ran them, with the user's settings
        hits = con.execute(
            "SELECT * FROM indicator_hits WHERE entity_type IN ('owner', 'official', 'office')"
        ).df()
        return hits[HIT_COLUMNS], {}, False
    indicators = [i for i in load_indicators() if i.entity in ENTITIES]
    backend = DuckDBBackend(con=con)
    tables = _tables(con)
    settings = load_settings()
    if not has_table(con, "zw_property_base"):
        try:
            prepare(backend, tables, as_of, settings)
        except (EngineError, duckdb.Error) as exc:  # e.g. a read-only database
            why = f"cannot prepare the indicator tables: {str(exc).splitlines()[0]}"
            return pd.DataFrame(columns=HIT_COLUMNS), {i.id: why for i in indicators}, True
        tables = _tables(con)
    run = run_indicators(backend, indicators, tables, as_of, settings)
    return run.hits[HIT_COLUMNS], run.skipped, True
