"""Ranked properties with where they are (district, kind, address), built once per run files.

The inspection list filters and sorts by district and kind and shows the address; joining the
run's properties table to the ranked list once, and keeping the result until the files
change, makes every later page a pandas filter instead of a join.
"""

from __future__ import annotations

import pandas as pd

from zonewatch.store.rundata import RunData

PLACE_COLUMNS = ("district", "kind", "address")


def _build(run: RunData, ranked: pd.DataFrame) -> pd.DataFrame:
    if not run.has_table("properties"):
        return ranked.assign(**{c: None for c in PLACE_COLUMNS})
    places = run.frame("SELECT property_id, district, kind, address FROM properties")
    places["property_id"] = places["property_id"].astype(str)
    left = ranked.drop(columns=[c for c in PLACE_COLUMNS if c in ranked.columns])
    left = left.assign(property_id=left["property_id"].astype(str))
    merged = left.merge(places, on="property_id", how="left", sort=False)
    return merged.astype({c: object for c in PLACE_COLUMNS})


def ranked_properties_with_places(run: RunData) -> pd.DataFrame:
    """properties_ranked.csv in rank order plus district, kind and address (None if unknown).

    Rebuilt when the run's DuckDB changes or the ranked frame is a new one (the run's own
    cache decides when a rewritten CSV is settled enough to read).
    """
    ranked = run.ranked("properties")
    source, merged = run.memo("ranked_properties_with_places", ("zonewatch.duckdb",),
                              lambda: (ranked, _build(run, ranked)))
    if source is not ranked:
        source, merged = ranked, _build(run, ranked)
        run.memo_set("ranked_properties_with_places", ("zonewatch.duckdb",), (source, merged))
    return merged


def warm_places(run: RunData) -> None:
    """Build the joined frame, read the ranked lists and index the evidence before the
    first visitor needs them (a broken run is left to the request that reads it, which
    reports why)."""
    for build in (ranked_properties_with_places, RunData.warm):
        try:
            build(run)  # evidence.csv: the register's live evidence and the detail views
        except Exception:  # noqa: BLE001 - warming is best effort
            continue
