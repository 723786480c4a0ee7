"""Bin property coordinates into a pointy-top hexagon grid for the district map.

No map tiles are allowed (no internet), so the map is an abstract hexagon grid: each cell
shows how many properties fall in it and how many of them are flagged.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Hex:
    """One hexagon: axial coordinates, pixel centre and what fell into it."""

    q: int
    r: int
    x: float
    y: float
    properties: int
    flagged: int
    max_score: float
    top_district: str


def bin_points(points: list[dict[str, Any]], columns: int | None = None) -> dict[str, Any]:
    """Bin `points` (lat, lon, score, flagged, district) into about `columns` hexes across.

    By default the grid is finer for more points (8 to 36 hexes across).
    Returns `{"size": hex radius in px, "width", "height", "hexes": [...]}`; coordinates are
    projected equirectangularly, which is exact enough within one city.
    """
    usable = [p for p in points if p.get("lat") is not None and p.get("lon") is not None]
    if not usable:
        return {"size": 0, "width": 0, "height": 0, "hexes": []}
    if columns is None:
        columns = max(8, min(36, round(math.sqrt(len(usable)))))
    mid_lat = math.radians(sum(p["lat"] for p in usable) / len(usable))
    xs = [p["lon"] * math.cos(mid_lat) for p in usable]
    ys = [-p["lat"] for p in usable]
    x0_min, y0_min = min(xs), min(ys)
    span = max(max(xs) - x0_min, max(ys) - y0_min, 1e-9)
    size = 12.0
    scale = columns * math.sqrt(3) * size / span
    cells: dict[tuple[int, int], dict[str, Any]] = {}
    for p, x0, y0 in zip(usable, xs, ys, strict=True):
        px, py = (x0 - x0_min) * scale, (y0 - y0_min) * scale
        q, r = _axial_round((math.sqrt(3) / 3 * px - py / 3) / size, (2 / 3 * py) / size)
        cell = cells.setdefault((q, r), {"n": 0, "flagged": 0, "max": 0.0, "districts": {}})
        cell["n"] += 1
        cell["flagged"] += 1 if p.get("flagged") else 0
        cell["max"] = max(cell["max"], float(p.get("score") or 0.0))
        district = str(p.get("district") or "")
        cell["districts"][district] = cell["districts"].get(district, 0) + 1
    hexes = []
    for (q, r), cell in cells.items():
        x = size * math.sqrt(3) * (q + r / 2)
        y = size * 1.5 * r
        top = max(cell["districts"].items(), key=lambda kv: kv[1])[0]
        hexes.append(Hex(q, r, x, y, cell["n"], cell["flagged"], round(cell["max"], 3), top))
    min_x = min(h.x for h in hexes) - size
    min_y = min(h.y for h in hexes) - size
    shifted = [asdict(h) | {"x": round(h.x - min_x, 2), "y": round(h.y - min_y, 2)}
               for h in hexes]
    width = max(h["x"] for h in shifted) + size
    height = max(h["y"] for h in shifted) + size
    return {"size": size, "width": round(width, 1), "height": round(height, 1),
            "hexes": sorted(shifted, key=lambda h: (h["r"], h["q"]))}


def _axial_round(q: float, r: float) -> tuple[int, int]:
    s = -q - r
    rq, rr, rs = round(q), round(r), round(s)
    dq, dr, ds = abs(rq - q), abs(rr - r), abs(rs - s)
    if dq > dr and dq > ds:
        rq = -rr - rs
    elif dr > ds:
        rr = -rq - rs
    return int(rq), int(rr)
