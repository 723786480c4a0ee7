"""GeoJSON (RFC 7946) of flagged properties and of district aggregates.

Flagged properties are points with their rank, score, indicators and explanation. A
district is the convex hull of its properties' coordinates (the extract has no borders),
with counts and shares of flagged properties; a district with fewer than three distinct
points gets a small square around them so every district has an area to colour.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
from scipy.spatial import ConvexHull, QhullError

from zonewatch.products.source import clean, flagged_properties, frame, ranked
from zonewatch.rundir import RunDir

PAD_DEGREES = 0.002  # half a side of the square drawn around a district of 1-2 points


def flagged_geojson(run: RunDir) -> dict[str, Any]:
    """A FeatureCollection: one Point per flagged property that has coordinates."""
    props = flagged_properties(run)
    features = []
    for row in props.to_dict("records"):
        lat, lon = clean(row.get("lat")), clean(row.get("lon"))
        if lat is None or lon is None:
            continue
        keep = ("rank", "property_id", "score", "registered", "area_m2", "district", "kind",
                "address", "explanation")
        properties = {k: clean(row.get(k)) for k in keep}
        properties["indicators"] = [i for i in str(row.get("indicators") or "").split(";") if i]
        features.append({"type": "Feature", "id": row["property_id"],
                         "geometry": {"type": "Point", "coordinates": [lon, lat]},
                         "properties": properties})
    return {"type": "FeatureCollection", "features": features,
            "properties": {"as_of": _as_of(run), "flagged": len(props),
                           "with_coordinates": len(features)}}


def district_stats(run: RunDir) -> list[dict[str, Any]]:
    """Per district: properties, flagged, share flagged, people registered, scores."""
    places = frame(run, "properties", "SELECT property_id, district FROM properties")
    props = ranked(run, "properties")
    if places.empty:
        return []
    merged = places.merge(props[["property_id", "score", "registered", "flagged"]],
                          on="property_id", how="left") if not props.empty else places.assign(
        score=None, registered=None, flagged=False)
    merged["flagged"] = merged["flagged"].fillna(False).astype(bool)
    out = []
    for district, group in merged.groupby("district", sort=True):
        flagged = int(group["flagged"].sum())
        out.append({"district": district, "properties": len(group), "flagged": flagged,
                    "flagged_share": round(flagged / len(group), 4),
                    "registered": int(group["registered"].fillna(0).sum()),
                    "max_score": clean(round(float(group["score"].max()), 3))
                    if group["score"].notna().any() else None,
                    "mean_flagged_score": clean(round(float(
                        group.loc[group["flagged"], "score"].mean()), 3)) if flagged else None})
    return out


def districts_geojson(run: RunDir) -> dict[str, Any]:
    """A FeatureCollection: one Polygon per district (hull of its properties) with stats."""
    points = frame(run, "properties", "SELECT district, lon, lat FROM properties "
                   "WHERE lat IS NOT NULL AND lon IS NOT NULL")
    features = []
    for stats in district_stats(run):
        own = points[points["district"] == stats["district"]] if not points.empty else points
        if own.empty:
            continue
        ring = _ring(own[["lon", "lat"]].to_numpy(dtype=float))
        features.append({"type": "Feature", "id": stats["district"],
                         "geometry": {"type": "Polygon", "coordinates": [ring]},
                         "properties": stats})
    return {"type": "FeatureCollection", "features": features,
            "properties": {"as_of": _as_of(run),
                           "geometry": "convex hull of the district's property coordinates"}}


def _ring(xy: np.ndarray) -> list[list[float]]:
    """A closed counter-clockwise ring around the points."""
    unique = np.unique(np.round(xy, 6), axis=0)
    if len(unique) >= 3:
        try:
            hull = ConvexHull(unique)
            ring = [[round(float(x), 6), round(float(y), 6)] for x, y in unique[hull.vertices]]
            return ring + [ring[0]]
        except QhullError:  # collinear points
            pass
    (x0, y0), (x1, y1) = unique.min(axis=0) - PAD_DEGREES, unique.max(axis=0) + PAD_DEGREES
    ring = [[x0, y0], [x1, y0], [x1, y1], [x0, y1]]
    ring = [[round(float(x), 6), round(float(y), 6)] for x, y in ring]
    return ring + [ring[0]]


def _as_of(run: RunDir) -> str | None:
    as_of = run.as_of()
    return as_of.isoformat() if as_of else None


def dumps(collection: dict[str, Any]) -> bytes:
    """UTF-8 JSON of a FeatureCollection (Cyrillic kept as is)."""
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")
