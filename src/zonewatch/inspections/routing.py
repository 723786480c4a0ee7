"""Ordering visits into routes: by district, building together, nearest neighbour by lat/lon.

Good enough for a team's day in one district: start at the building of the most suspicious
flat, then always walk to the nearest unvisited building. Places without coordinates go last,
in rank order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Stop:
    """A property to visit with what routing needs."""

    property_id: str
    rank: int
    score: float
    district: str | None
    building_id: str | None
    lat: float | None
    lon: float | None
    address: str | None = None
    selection: str = "target"  # target (chosen by rank) or explore (drawn at random)
    inclusion_probability: float = 1.0  # P(this property is in the plan) under the design
    stratum: str = "target"  # the exploration stratum it was drawn from


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, h)))


def _buildings(stops: list[Stop]) -> list[list[Stop]]:
    groups: dict[str, list[Stop]] = {}
    for s in sorted(stops, key=lambda s: s.rank):
        groups.setdefault(s.building_id or f"property:{s.property_id}", []).append(s)
    return list(groups.values())


def _where(group: list[Stop]) -> tuple[float, float] | None:
    pts = [(s.lat, s.lon) for s in group if s.lat is not None and s.lon is not None]
    if not pts:
        return None
    return sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts)


def order_district(stops: list[Stop]) -> list[Stop]:
    """One district's stops: buildings in nearest-neighbour order, flats by rank inside."""
    groups = _buildings(stops)  # first group holds the best-ranked stop
    located = [g for g in groups if _where(g) is not None]
    unlocated = [g for g in groups if _where(g) is None]
    route: list[list[Stop]] = []
    if located:
        here = located.pop(0)
        route.append(here)
        while located:
            nxt = min(located, key=lambda g: (distance_km(_where(here), _where(g)), g[0].rank))
            located.remove(nxt)
            route.append(nxt)
            here = nxt
    return [s for g in route + unlocated for s in g]


def order_stops(stops: list[Stop]) -> list[Stop]:
    """All stops: districts by their most suspicious stop, each district as one route."""
    districts: dict[str, list[Stop]] = {}
    for s in sorted(stops, key=lambda s: s.rank):
        districts.setdefault(s.district or "", []).append(s)
    return [s for group in districts.values() for s in order_district(group)]
