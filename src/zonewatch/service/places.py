"""Ranked properties with where they are (district, kind, address), built once per run files.

The inspection list filters and sorts by district and kind and shows the address; joining the
run's properties table to the ranked list once, and keeping the result until the files
change, makes every later page a pandas filter instead of a join.
"""

from __future__ import annotations

import pandas as pd

from zonewatch.store.rundata import RANKED, RunData

PLACE_COLUMNS = ("district", "kind", "address")


def _build(run: RunData) -> pd.DataFrame:
    ranked = run.ranked("properties")
    if not run.has_table("properties"):
        return ranked.assign(**{c: None for c in PLACE_COLUMNS})
    places = run.frame("SELECT property_id, district, kind, address FROM properties")
    places["property_id"] = places["property_id"].astype(str)
    left = ranked.drop(columns=[c for c in PLACE_COLUMNS if c in ranked.columns])
    left = left.assign(property_id=left["property_id"].astype(str))
    merged = left.merge(places, on="property_id", how="left", sort=False)
    return merged.astype({c: object for c in PLACE_COLUMNS})


def ranked_properties_with_places(run: RunData) -> pd.DataFrame:
    """properties_ranked.csv in rank order plus district, kind and address (None if unknown)."""
    files = (RANKED["properties"][0], "zonewatch.duckdb")
    return run.memo("ranked_properties_with_places", files, lambda: _build(run))
