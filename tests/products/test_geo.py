"""GeoJSON of flagged properties and districts, validated by the `geojson` package."""

from __future__ import annotations

import geojson

from zonewatch.products import geo


def _valid(collection: dict) -> geojson.FeatureCollection:
    parsed = geojson.loads(geo.dumps(collection).decode("utf-8"))
    assert parsed.is_valid, parsed.errors()
    return parsed


def _inside(point: tuple[float, float], ring: list[list[float]]) -> bool:
    """Ray casting; points on the border count as inside."""
    x, y = point
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
        if min(y1, y2) <= y <= max(y1, y2) and (x1, y1) != (x2, y2):
            cross = (x2 - x1) * (y - y1) - (y2 - y1) * (x - x1)
            if abs(cross) < 1e-9 and min(x1, x2) - 1e-9 <= x <= max(x1, x2) + 1e-9:
                return True
        if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
            hit = not hit
    return hit


def test_flagged_points_are_the_flagged_properties(run, ranked, extract) -> None:
    parsed = _valid(geo.flagged_geojson(run))
    places = extract("properties").set_index("property_id")
    flagged = ranked[ranked["flagged"]]
    with_xy = flagged[flagged["property_id"].map(lambda p: places.at[p, "lat"] is not None)]
    assert len(parsed["features"]) == len(with_xy) > 0
    for feature in parsed["features"]:
        pid = feature["properties"]["property_id"]
        lon, lat = feature["geometry"]["coordinates"]
        assert (lon, lat) == (float(places.at[pid, "lon"]), float(places.at[pid, "lat"]))
        row = flagged[flagged["property_id"] == pid].iloc[0]
        assert feature["properties"]["rank"] == row["rank"]
        assert feature["properties"]["indicators"] == row["indicators"].split(";")
    ranks = [f["properties"]["rank"] for f in parsed["features"]]
    assert ranks == sorted(ranks)


def test_districts_cover_their_properties_and_count_right(run, ranked, extract) -> None:
    parsed = _valid(geo.districts_geojson(run))
    places = extract("properties")
    assert {f["id"] for f in parsed["features"]} == set(places["district"])
    flagged = set(ranked.loc[ranked["flagged"], "property_id"])
    for feature in parsed["features"]:
        ring = feature["geometry"]["coordinates"][0]
        assert ring[0] == ring[-1]
        area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:],
                                                                   strict=False))
        assert area > 0, "exterior ring counter-clockwise (RFC 7946)"
        own = places[places["district"] == feature["id"]]
        stats = feature["properties"]
        assert stats["properties"] == len(own)
        assert stats["flagged"] == len(set(own["property_id"]) & flagged)
        for lon, lat in own[["lon", "lat"]].dropna().astype(float).itertuples(index=False):
            assert _inside((round(lon, 6), round(lat, 6)), ring), (feature["id"], lon, lat)
