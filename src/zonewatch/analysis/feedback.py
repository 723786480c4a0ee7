"""The second pass: property indicators that need the broker networks found by the
network room (stage `after_networks`), and the property ranking they adjust.

Owners, officials and networks are ranked on the first-pass property scores; this pass only
moves properties, so nothing circular is computed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb
import pandas as pd

from zonewatch.engine.base import Backend
from zonewatch.indicators import Indicator, IndicatorRun, run_indicators, weight_of
from zonewatch.indicators.settings import IndicatorSettings

MEMBER_TABLE = "network_members"


def network_members(people: Any) -> pd.DataFrame:
    """One row per (network, member id) with the score the network lends its members: its
    score when it is anomalous (movement beyond the extract's ordinary tenant mobility, or
    a named nominee group; a network without such flags counts as anomalous), else 0, so
    that a cluster of ordinary rentals lifts none of its flats above their own evidence."""
    frame = getattr(people, "networks", None)
    if frame is None or not len(frame):
        return pd.DataFrame({"network_id": pd.Series(dtype=str),
                             "member_id": pd.Series(dtype=str),
                             "network_score": pd.Series(dtype=float)})
    rows = frame.assign(member_id=frame["members"].astype(str).str.split(";")).explode(
        "member_id")
    flags = getattr(people, "network_flags", None)
    anomalous = (dict(zip(flags["network_id"].astype(str), flags["anomalous"].astype(bool),
                          strict=True)) if flags is not None and len(flags) else {})
    ids = rows["network_id"].astype(str)
    lends = ids.map(anomalous).fillna(True).astype(bool)
    score = pd.to_numeric(rows["score"], errors="coerce").fillna(0.0)
    return pd.DataFrame({
        "network_id": ids,
        "member_id": rows["member_id"].astype(str).str.strip(),
        "network_score": score.where(lends, 0.0),
    }).reset_index(drop=True)


def after_networks(
    con: duckdb.DuckDBPyConnection,
    backend: Backend,
    indicators: list[Indicator],
    tables: set[str],
    day: dt.date,
    settings: IndicatorSettings,
    people: Any,
) -> tuple[IndicatorRun, dict[str, float]]:
    """Run the stage `after_networks` indicators; returns their run and declared weights."""
    members = network_members(people)
    con.register("__zw_members", members)
    con.execute(f"CREATE OR REPLACE TABLE {MEMBER_TABLE} AS SELECT * FROM __zw_members")
    con.unregister("__zw_members")
    if backend.dialect != "duckdb":
        backend.register_table(MEMBER_TABLE, members)
    present = tables | ({MEMBER_TABLE} if len(members) else set())
    run = run_indicators(backend, indicators, present, day, settings)
    for ind in indicators:
        if run.skipped.get(ind.id, "").startswith("missing table network_members"):
            run.skipped[ind.id] = "no broker networks found (or the network room did not run)"
    weights = {i.id: weight_of(i, settings) for i in indicators if i.id in run.ran}
    return run, weights
