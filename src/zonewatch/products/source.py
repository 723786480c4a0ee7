"""Small readers over a run shared by the products: tables that may be absent, flagged rows."""

from __future__ import annotations

from typing import Any

import pandas as pd

from zonewatch.errors import NotFound
from zonewatch.rundir import RunDir

# `col {IN_LIST}` with one list parameter: a hash semi-join (list_contains scans the list
# for every row, which takes minutes for thousands of ids over a city's registrations)
IN_LIST = "IN (SELECT unnest(CAST(? AS VARCHAR[])))"


def rows(run: RunDir, table: str, sql: str, params: list[Any] | None = None) -> list[dict]:
    """`sql` on the run's DuckDB, or [] when `table` is not in the extract."""
    return run.query(sql, params or []) if run.has_table(table) else []


def frame(run: RunDir, table: str, sql: str) -> pd.DataFrame:
    """`sql` as a DataFrame, or an empty one when `table` is not in the extract."""
    return run.frame(sql) if run.has_table(table) else pd.DataFrame()


def ranked(run: RunDir, kind: str) -> pd.DataFrame:
    """A ranked file of the run with `flagged` (an indicator fired) added; empty if absent."""
    try:
        out = run.ranked(kind).copy()
    except NotFound:
        return pd.DataFrame()
    if "indicators" in out.columns:
        out["flagged"] = out["indicators"].fillna("").astype(str) != ""
    return out


def flagged_properties(run: RunDir) -> pd.DataFrame:
    """Flagged properties in rank order with district, kind, address and coordinates."""
    props = ranked(run, "properties")
    if props.empty:
        return props
    props = props[props["flagged"]]
    places = frame(run, "properties", "SELECT property_id, address, district, kind, lat, lon "
                   "FROM properties")
    if places.empty:
        return props.assign(address=None, district=None, kind=None, lat=None, lon=None)
    return props.merge(places, on="property_id", how="left")


def clean(value: Any) -> Any:
    """A JSON-ready scalar: NaN -> None, numpy numbers -> Python, dates -> ISO text."""
    if value is None:
        return None
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item"):
        value = value.item()
        if isinstance(value, float) and value != value:
            return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
