"""Hits of the owner, official and office indicators declared as YAML (plain SQL).

The analysis runs them (with the user's settings: weights, params, disabled ones) and hands
them over in `indicator_hits`, a declared input (network.inputs); they are read as they are.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from zonewatch.indicators import HIT_COLUMNS

ENTITIES = ("owner", "official", "office")


def entity_hits(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Owner/official/office hits (HIT_COLUMNS) from `indicator_hits`."""
    hits = con.execute(
        "SELECT * FROM indicator_hits WHERE entity_type IN (SELECT unnest($e))",
        {"e": list(ENTITIES)},
    ).df()
    return hits[HIT_COLUMNS]
