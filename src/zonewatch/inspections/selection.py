"""The stops of a plan over properties an analyst chose (ticked rows), not the ranking's top.

Unknown ids are an error naming them, since a plan silently missing a chosen place would be
worse than no plan; the stops carry rank, score and place data like the ranking's top does.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zonewatch.errors import Invalid
from zonewatch.inspections.routing import Stop
from zonewatch.rundir import RunDir

MAX_SELECTION = 5000


def selected_stops(run: RunDir, property_ids: list[str]) -> list[Stop]:
    """The chosen properties (duplicates dropped) in rank order with their places."""
    wanted = list(dict.fromkeys(str(p) for p in property_ids))
    if not wanted:
        raise Invalid("property_ids: select at least one property for the plan")
    if len(wanted) > MAX_SELECTION:
        raise Invalid(f"property_ids: at most {MAX_SELECTION} per plan, got {len(wanted)}")
    ranked = run.ranked("properties")
    ranked = ranked[ranked["property_id"].astype(str).isin(wanted)].sort_values("rank")
    unknown = sorted(set(wanted) - set(ranked["property_id"].astype(str)))
    if unknown:
        shown = ", ".join(unknown[:10]) + (" ..." if len(unknown) > 10 else "")
        raise Invalid(f"property_ids: not in the ranked properties of this run: {shown}")
    return ranked_stops(run, ranked)


def ranked_stops(run: RunDir, ranked: pd.DataFrame) -> list[Stop]:
    """Stops for rows of the ranked properties (in their order), with their place data."""
    ids = [str(x) for x in ranked["property_id"]]
    places: dict[str, dict[str, Any]] = {}
    if ids and run.has_table("properties"):
        for row in run.query(
            "SELECT p.* FROM properties p SEMI JOIN (SELECT unnest(?) AS property_id) q "
            "USING (property_id)",
            [ids],
        ):
            places[row["property_id"]] = row
    stops = []
    for pid, rank, score in zip(ids, ranked["rank"], ranked["score"], strict=True):
        p = places.get(pid, {})
        stops.append(Stop(pid, int(rank), float(score), p.get("district"), p.get("building_id"),
                          p.get("lat"), p.get("lon"), p.get("address")))
    return stops
