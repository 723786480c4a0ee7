"""Districts, dwellings and buildings: where the city's people are registered.

Flat areas follow rooms with log-normal noise, tuned so that the generated m² per
resident matches the real Moscow housing register (see docs/generator.md). Apartments are
grouped into buildings of realistic sizes per district at the end, so planted fraud flats
sit in ordinary buildings among ordinary neighbours.
"""

from __future__ import annotations

import numpy as np

from zonewatch.generate.state import LOOKALIKES, City

CENTRE = (51.128, 71.430)  # Astana
ROOM_AREA = np.array([0.0, 37.0, 54.0, 72.0, 96.0, 120.0, 140.0])  # median m² by rooms
APARTMENT, HOUSE, DORMITORY, HOSTEL, SOCIAL, COMMERCIAL, OTHER = range(7)


def make_districts(city: City) -> None:
    """8-12 districts around the centre, named like settlement codes."""
    nd = 8 + min(4, city.n_persons // 400_000)
    angle = np.linspace(0, 2 * np.pi, nd, endpoint=False) + city.rng.uniform(0, 0.5)
    radius = city.rng.uniform(0.02, 0.09, nd)
    city.district_names = [f"AST-{i + 1:02d}" for i in range(nd)]
    city.district_centres = np.column_stack(
        [CENTRE[0] + radius * np.sin(angle), CENTRE[1] + 1.6 * radius * np.cos(angle)]
    )
    city.district_weights = city.rng.dirichlet(np.full(nd, 8.0))


def flat_rooms(city: City, household_size: np.ndarray) -> np.ndarray:
    """Rooms of a flat for a household: bigger families in bigger flats, with noise."""
    noise = city.rng.choice([-1, 0, 0, 0, 1], len(household_size))
    return np.clip(np.ceil(household_size * 0.7).astype(int) + noise, 1, 5)


def flat_area(city: City, rooms: np.ndarray, sigma: float = 0.18) -> np.ndarray:
    return np.round(ROOM_AREA[rooms] * np.exp(city.rng.normal(0, sigma, len(rooms))), 1)


def random_districts(city: City, n: int) -> np.ndarray:
    return city.rng.choice(len(city.district_names), n, p=city.district_weights)


def other_district(city: City, district: np.ndarray) -> np.ndarray:
    """A district different from each given one."""
    nd = len(city.district_names)
    return (district + city.rng.integers(1, nd, len(district))) % nd


def finalize_buildings(city: City, props: dict[str, np.ndarray]) -> None:
    """Group unassigned apartments into buildings per district; place everything on the map."""
    rng = city.rng
    n = len(props["kind"])
    building = props["building"].copy()
    next_id = int(building.max()) + 1 if n else 0
    todo = np.flatnonzero((props["kind"] == APARTMENT) & (building < 0))
    todo = todo[rng.permutation(len(todo))]
    todo = todo[np.argsort(props["district"][todo], kind="stable")]
    dist = props["district"][todo]
    # building sizes from the real register's flats-per-building spread, split per district
    sizes = np.clip(rng.lognormal(np.log(70), 0.7, len(todo) + 1), 8, 400).astype(np.int64)
    bounds = np.cumsum(sizes)
    bid = np.searchsorted(bounds, np.arange(len(todo)), side="right")
    change = np.r_[True, dist[1:] != dist[:-1]]  # a new building starts at each district
    bid = bid + np.cumsum(change)
    _, bid = np.unique(bid, return_inverse=True)
    building[todo] = next_id + bid
    props["building"] = building
    # buildings differ (old small-flat series, new spacious ones): one area factor each,
    # fitted so building-level m² per resident matches the real register's spread
    nb = int(building.max()) + 1 if n else 0
    factor = rng.lognormal(np.log(0.86), 0.33, max(nb, 1))
    scale = (props["kind"] == APARTMENT) & (building >= 0) & (props["fraud"] == 0)
    scale &= props["lookalike"] != LOOKALIKES.index("large_family")
    props["area"] = props["area"].copy()
    props["area"][scale] = np.round(props["area"][scale] * factor[building[scale]], 1)

    centres = city.district_centres[props["district"]]
    lat = centres[:, 0] + rng.normal(0, 0.012, n)
    lon = centres[:, 1] + rng.normal(0, 0.019, n)
    has_b = building >= 0
    if has_b.any():
        nb = int(building.max()) + 1
        bdist = np.zeros(nb, np.int64)
        bdist[building[has_b]] = props["district"][has_b]
        blat = city.district_centres[bdist, 0] + rng.normal(0, 0.012, nb)
        blon = city.district_centres[bdist, 1] + rng.normal(0, 0.019, nb)
        lat[has_b] = blat[building[has_b]]
        lon[has_b] = blon[building[has_b]]
    props["lat"], props["lon"] = np.round(lat, 6), np.round(lon, 6)
    # flat numbers 1..n within each building, in random order
    order = np.lexsort((rng.random(n), building))
    sorted_b = building[order]
    unit = np.empty(n, np.int64)
    unit[order] = np.arange(n) - np.searchsorted(sorted_b, sorted_b) + 1
    props["unit"] = unit
