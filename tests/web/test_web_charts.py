"""The SVG charts and the hexagon binning behind the overview map."""

from __future__ import annotations

import re

from zonewatch.web import charts
from zonewatch.web.hexgrid import bin_points


def test_every_point_lands_in_exactly_one_hexagon() -> None:
    points = [{"lat": 51.1 + i * 0.001, "lon": 71.4 + (i % 7) * 0.002, "district": "D1",
               "score": i / 10, "flagged": i % 3 == 0} for i in range(300)]
    points.append({"lat": None, "lon": None, "district": "D2", "score": 1, "flagged": True})
    grid = bin_points(points)
    assert sum(h["properties"] for h in grid["hexes"]) == 300  # the point without lat/lon
    assert sum(h["flagged"] for h in grid["hexes"]) == 100
    assert max(h["max_score"] for h in grid["hexes"]) == 29.9
    assert all(0 <= h["x"] <= grid["width"] and 0 <= h["y"] <= grid["height"]
               for h in grid["hexes"])
    assert len({(h["q"], h["r"]) for h in grid["hexes"]}) == len(grid["hexes"])


def test_nearby_points_share_a_hexagon_and_far_ones_do_not() -> None:
    grid = bin_points([{"lat": 51.0, "lon": 71.0}, {"lat": 51.123, "lon": 71.237},
                       {"lat": 51.1231, "lon": 71.2371}, {"lat": 51.3, "lon": 71.5}],
                      columns=10)
    assert sorted(h["properties"] for h in grid["hexes"]) == [1, 1, 2]


def test_empty_map_draws_nothing() -> None:
    assert bin_points([]) == {"size": 0, "width": 0, "height": 0, "hexes": []}
    assert charts.hex_map(bin_points([])) == ""


def test_timeline_draws_one_bar_per_registration_up_to_as_of() -> None:
    rows = [{"person_id": "A", "start_date": "2025-01-01", "end_date": None,
             "citizenship": "KAZ", "relation": "owner", "kind": "permanent"},
            {"person_id": "B", "start_date": "2025-06-01", "end_date": "2025-09-01",
             "citizenship": "UZB", "relation": "none", "kind": "temporary"}]
    svg = str(charts.timeline(rows, "2026-01-01", "timeline"))
    widths = [float(w) for w in re.findall(r'class="reg"[^>]*|width="([\d.]+)" height', svg)
              if w]
    assert svg.count('class="reg"') == 2
    assert widths[0] > widths[1] > 0  # open-ended runs to the as-of date
    assert svg.count("<circle") == 1  # only the owner is marked
    assert "2025" in svg and "asof" in svg


def test_bars_escape_labels_and_scale_to_the_largest() -> None:
    svg = str(charts.bars([{"label": "<b>x</b>", "value": 10}, {"label": "y", "value": 5,
                                                              "highlight": True}], "t"))
    assert "<b>" not in svg and "&lt;b&gt;" in svg
    first, second = (float(w) for w in re.findall(r'class="bar[^"]*" x="\d+" y="\d+" '
                                                  r'width="([\d.]+)"', svg))
    assert first == 2 * second
    assert 'class="bar highlight"' in svg
