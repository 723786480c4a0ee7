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


def _two_districts() -> dict:
    """West: one lone fully flagged flat far out, and a dense block 1 in 10 flagged; East: a
    dense block, none flagged."""
    points = [{"lat": 51.10, "lon": 71.30, "flagged": True, "score": 9, "district": "W"}]
    points += [{"lat": 51.15 + i * 1e-5, "lon": 71.40, "flagged": i % 10 == 0, "score": 1,
                "district": "W"} for i in range(40)]
    points += [{"lat": 51.15 + i * 1e-5, "lon": 71.50, "flagged": False, "score": 0,
                "district": "E"} for i in range(40)]
    points += [{"lat": 51.15, "lon": 71.40 + i * 2e-3, "flagged": False, "score": 0,
                "district": "W" if i < 25 else "E"} for i in range(50)]
    return bin_points(points, columns=12)


def test_map_colours_a_rate_only_with_enough_properties_and_draws_districts() -> None:
    svg = str(charts.hex_map(_two_districts(), "map"))
    hexes = re.findall(r'<polygon class="hex" points="[^"]*" fill="([^"]+)" data-district="'
                       r'(\w)" data-flagged="(\d+)" data-properties="(\d+)"', svg)
    lone = [h for h in hexes if h[3] == "1" and h[2] == "1"]
    assert lone and all(h[0] == "url(#few)" for h in lone)  # one flat is not a rate
    dense = [h for h in hexes if int(h[3]) >= charts.MIN_HEX_PROPERTIES]
    assert dense and all(h[0].startswith("#") for h in dense)
    assert 'class="district-border"' in svg
    assert re.findall(r'class="district-label"[^>]*>(\w)</text>', svg) == ["E", "W"]
    assert "50%" in svg and f"fewer than {charts.MIN_HEX_PROPERTIES}" in svg  # the legend


def test_trend_lines_one_point_per_as_of_axis_and_legend() -> None:
    trends = [{"as_of": "2026-06-01", "flag_counts": {"a": 5, "b": 1}},
              {"as_of": "2026-06-01", "flag_counts": {"a": 7, "b": 2}},  # registered again
              {"as_of": "2026-11-01", "flag_counts": {"a": 9, "b": 3}}]
    trends += [{"as_of": "2026-11-01", "flag_counts": {"a": 9, "b": 3} | {
        f"x{i}": i for i in range(12)}}]
    assert [t["as_of"] for t in charts.trend_points(trends)] == ["2026-06-01", "2026-11-01"]
    series = charts.trend_series(trends, "other")
    assert series["a"] == [7, 9] and len(series) == charts.TREND_LINES + 1
    total = 9 + 3 + sum(range(12))
    assert series["other"][1] == total - sum(v[1] for n, v in series.items() if n != "other")
    svg = str(charts.trend_lines(trends, "trends", words={"count": "flagged",
                                                          "other": "other"}))
    assert svg.count("<polyline") == len(series)
    assert svg.count(">2026-06-01<") == 1 and ">flagged<" in svg  # one tick per date, an axis
    assert 'class="legend trend-legend"' in svg and "a (9)" in svg


def test_monthly_marks_partial_months_instead_of_dropping() -> None:
    rows = [{"month": m, "own": 10, "peer_mean": 5} for m in ("2026-09", "2026-10")]
    rows.append({"month": "2026-11", "own": 1, "peer_mean": 0.5})  # as-of on the 3rd
    assert charts.partial_months(rows, "2026-11-03", 60) == {"2026-09", "2026-11"}
    assert charts.partial_months(rows, "2026-10-31", 61) == set()  # 1 Sep to 31 Oct
    svg = str(charts.monthly_lines(rows, "m", "2026-11-03", 60))
    assert svg.count('stroke-dasharray="4 3"') == 4  # both lines, first and last segment
    assert svg.count("partial\" cx") == 4 and "2026-11*" in svg
