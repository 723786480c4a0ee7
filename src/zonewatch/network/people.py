"""`rank_people`: the network room's entry point for the analysis runner."""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from zonewatch.network.params import resolve
from zonewatch.network.results import PeopleResults


def rank_people(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | str, settings: dict[str, Any] | None = None
) -> PeopleResults:
    """Rank owners, officials and offices and find broker networks on the as-of date."""
    resolve(settings)
    return PeopleResults(skipped=["network: not implemented yet"])
