"""Aggregate figures anyone may read (journalists, the public): no ids, no persons, small
cells suppressed so that no count can point at one household.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from zonewatch.errors import NotFound
from zonewatch.rundir import RunDir

MIN_CELL = 5  # counts below this are published as null ("fewer than 5")


def _cell(n: int) -> int | None:
    return int(n) if n >= MIN_CELL else None


def public_summary(run: RunDir) -> dict[str, Any]:
    """Per district and per indicator: how many properties are flagged (cells < 5 hidden)."""
    return run.cached("public_summary", lambda: _build(run))


def _build(run: RunDir) -> dict[str, Any]:
    ranked = run.ranked("properties")
    flagged = ranked["indicators"].fillna("").astype(str) != ""
    frame = pd.DataFrame(
        {
            "property_id": ranked["property_id"],
            "flagged": flagged,
            "registered": ranked["registered"],
        }
    )
    districts: list[dict[str, Any]] = []
    if run.has_table("properties"):
        places = pd.DataFrame(run.query("SELECT property_id, district FROM properties"))
        frame = frame.merge(places, on="property_id", how="left")
        for name, grp in frame.groupby(frame["district"].fillna("unknown"), sort=True):
            hit = grp[grp["flagged"]]
            districts.append(
                {
                    "district": str(name),
                    "properties": _cell(len(grp)),
                    "flagged_properties": _cell(len(hit)),
                    # hidden with a small flagged count: it would describe a few addresses
                    "people_registered_at_flagged": _cell(int(hit["registered"].fillna(0).sum()))
                    if len(hit) >= MIN_CELL
                    else None,
                }
            )
    indicators: dict[str, int | None] = {}
    try:
        ev = run.evidence()
        ev = ev[ev["entity_type"] == "property"]
        indicators = {
            str(k): _cell(v) for k, v in ev.groupby("indicator_id")["entity_id"].nunique().items()
        }
    except NotFound:
        pass
    as_of = run.as_of()
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "properties": _cell(len(frame)),
        "flagged_properties": _cell(int(frame["flagged"].sum())),
        "districts": districts,
        "flagged_by_indicator": indicators,
        "suppressed_below": MIN_CELL,
    }
