"""Ranked properties with where they are (district, kind, address), built once per run files.

The inspection list filters and sorts by district and kind and shows the address; joining the
run's properties table to the ranked list once, and keeping the result until the files
change, makes every later page a pandas filter instead of a join.
"""

from __future__ import annotations

import pandas as pd

from zonewatch.contract.run_files import ranked_lists
from zonewatch.errors import NotFound, Unavailable
from zonewatch.rundir import RunDir

PLACE_COLUMNS = ("district", "kind", "address")


def _build(run: RunDir, ranked: pd.DataFrame) -> pd.DataFrame:
    if not run.has_table("properties"):
        return ranked.assign(**{c: None for c in PLACE_COLUMNS})
    places = run.frame("SELECT property_id, district, kind, address FROM properties")
    places["property_id"] = places["property_id"].astype(str)
    left = ranked.drop(columns=[c for c in PLACE_COLUMNS if c in ranked.columns])
    left = left.assign(property_id=left["property_id"].astype(str))
    merged = left.merge(places, on="property_id", how="left", sort=False)
    return merged.astype({c: object for c in PLACE_COLUMNS})


def ranked_properties_with_places(run: RunDir) -> pd.DataFrame:
    """properties_ranked.csv in rank order plus district, kind and address (None if unknown),
    built once per version of the run."""
    return run.cached("ranked_properties_with_places",
                      lambda: _build(run, run.ranked("properties")))


def warm_places(run: RunDir) -> None:
    """Build the joined frame, the ranked lists' frames and the evidence index before the
    first visitor needs them (a broken file is left to the request that reads it, which
    reports why)."""
    steps = [lambda: ranked_properties_with_places(run), lambda: run.evidence_for("", "")]
    steps += [lambda kind=kind: run.ranked(kind) for kind in ranked_lists()]
    for step in steps:
        try:
            step()
        except (NotFound, Unavailable):
            continue
