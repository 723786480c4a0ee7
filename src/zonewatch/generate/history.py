"""Ten years of ordinary life: families settle, move, rent, fill new buildings.

Also the legitimate look-alikes a careless detector would flag: large families (8-12
relatives in a small flat, relations declared), landlords renting out several flats
normally, and whole new buildings whose flats all fill within a few weeks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zonewatch.generate import housing
from zonewatch.generate.people import (
    GRANDPARENT,
    SPOUSE,
    foreign_mix,
    make_households,
    make_loners,
)
from zonewatch.generate.state import FOREIGN, LEGIT, LOOKALIKES, NAT, OWN_FAMILY, City

HOUSEHOLD_SIZES = np.arange(1, 8)
HOUSEHOLD_P = np.array([0.22, 0.25, 0.22, 0.17, 0.09, 0.04, 0.01])
DAY = np.timedelta64(1, "D")
FLATSHARE_SHARE = 0.01  # flats rented by 3-7 unrelated workers or students (legitimate)
FLATSHARE_PERSONS = 6.5  # persons per flatshare over two years, for the persons budget


@dataclass
class Settled:
    """What later steps need: owner-occupier heads, their districts and all household flats."""

    heads: np.ndarray
    head_district: np.ndarray
    head_male: np.ndarray
    flats: np.ndarray


def _sizes(city: City, budget: int) -> np.ndarray:
    n = int(budget / 2.6) + 10
    sizes = city.rng.choice(HOUSEHOLD_SIZES, n, p=HOUSEHOLD_P)
    while sizes.sum() < budget:
        sizes = np.r_[sizes, city.rng.choice(HOUSEHOLD_SIZES, n // 4 + 10, p=HOUSEHOLD_P)]
    cum = np.cumsum(sizes)
    k = int(np.searchsorted(cum, budget)) + 1
    sizes = sizes[:k].copy()
    sizes[-1] -= int(cum[k - 1] - budget)
    return sizes[sizes > 0]


def settle_households(city: City, budget: int) -> Settled:
    """Households of `budget` persons in flats and houses, with owners and history."""
    rng = city.rng
    h_est = budget / 2.6
    n_large = max(3, round(h_est * 0.004))
    large = rng.integers(8, 13, n_large)
    sizes = np.r_[large, _sizes(city, budget - int(large.sum()))]
    h = len(sizes)
    is_large = np.arange(h) < n_large
    home = housing.random_districts(city, h)
    citizenship = foreign_mix(city, h, 0.03)
    citizenship[is_large] = 0
    hh = make_households(city, sizes, home, citizenship,
                         declare_share=0.7)
    # dwellings: large families in small flats, foreigners rent, some houses, some renters
    foreign = citizenship > 0
    u = rng.random(h)
    house = ~is_large & ~foreign & (u < 0.10)
    renter = foreign | (~is_large & ~house & (u > 0.86))
    newb = ~is_large & ~house & ~renter & (rng.random(h) < 0.02)
    if newb.sum() < 10:
        cand = np.flatnonzero(~is_large & ~house & ~renter & ~newb)
        newb[cand[:10]] = True
    mover = newb | (rng.random(h) < 0.35)

    rooms = housing.flat_rooms(city, sizes)
    rooms[is_large] = rng.integers(2, 4, n_large)
    rooms[house] += 1
    area = housing.flat_area(city, rooms)
    area[is_large] = np.round(rng.uniform(35, 60, n_large), 1)
    area[house] = np.round(area[house] * rng.uniform(1.3, 2.0, house.sum()), 1)
    kind = np.where(house, housing.HOUSE, housing.APARTMENT)
    look = np.where(is_large, LOOKALIKES.index("large_family"), 0)
    look[newb] = LOOKALIKES.index("new_building")
    building = np.full(h, -1, np.int64)
    building[newb] = _new_buildings(city, home[newb])
    flats = city.add_properties(kind, home, area, rooms, lookalike=look, building=building)

    # dates: a head's registration start, then the members'
    start = city.days(city.as_of - np.timedelta64(30 * 365, "D"), city.start, h)
    start[mover] = city.days(city.start, city.as_of - 20 * DAY, mover.sum())
    completion = _completion(city, building)
    start[newb] = completion[newb] + rng.integers(0, 40, newb.sum()) * DAY
    start[renter] = city.days(city.as_of - 700 * DAY, city.as_of - 10 * DAY, renter.sum())
    member_h = hh.household
    birth = _births(city, hh.members)
    mstart = start[member_h].copy()
    later = (hh.role == SPOUSE) | (hh.role == GRANDPARENT)
    delay = np.where(later & (rng.random(len(mstart)) < 0.2),
                     rng.integers(0, 1000, len(mstart)), 0) * DAY
    mstart = np.minimum(np.maximum(mstart + delay, birth + rng.integers(0, 30, len(birth)) * DAY),
                        city.as_of - DAY)
    temporary = renter[member_h]
    end = np.full(len(mstart), NAT)
    end[temporary] = mstart[temporary] + rng.integers(365, 731, temporary.sum()) * DAY
    regime = np.where(foreign, FOREIGN, np.where(renter, LEGIT, OWN_FAMILY))[member_h]
    city.add_registrations(person=hh.members, prop=flats[member_h], temporary=temporary,
                           start=mstart, end=end, regime=regime)
    _previous_homes(city, hh, flats, mover, mstart, birth)
    _owners(city, hh, flats, start, renter, mover)
    heads_ok = ~renter & ~is_large
    _flatshares(city, hh.heads[heads_ok], round(h * FLATSHARE_SHARE))
    return Settled(heads=hh.heads[heads_ok], head_district=home[heads_ok],
                   head_male=_male(city, hh.heads[heads_ok]), flats=flats)


def _flatshares(city: City, landlords: np.ndarray, n: int) -> None:
    """Unrelated tenants sharing a flat: legitimate, and hard to tell from brokered ones."""
    rng = city.rng
    n = max(2, n)
    district = housing.random_districts(city, n)
    rooms = rng.integers(2, 4, n)
    flats = city.add_properties(housing.APARTMENT, district, housing.flat_area(city, rooms),
                                rooms)
    city.add_ownerships(prop=flats, owner=rng.choice(landlords, n), is_org=False, share=1.0,
                        start=city.days(city.start - 2000 * DAY, city.as_of - 800 * DAY, n))
    now = rng.integers(3, 8, n)
    left = rng.binomial(now, 0.3)
    size = now + left
    idx = np.repeat(np.arange(n), size)
    citizenship = foreign_mix(city, len(idx), 0.4)
    ids = make_loners(city, len(idx), district[idx], citizenship, 18, 40)
    rank = np.arange(len(idx)) - np.repeat(np.cumsum(size) - size, size)
    start = city.days(city.as_of - 700 * DAY, city.as_of - 5 * DAY, len(idx))
    end = start + rng.integers(365, 731, len(idx)) * DAY
    gone = rank >= now[idx]
    end[gone] = np.minimum(start[gone] + rng.integers(30, 300, gone.sum()) * DAY,
                           city.as_of - DAY)
    start[gone] = np.minimum(start[gone], end[gone] - DAY)
    city.add_registrations(person=ids, prop=flats[idx], temporary=True, start=start, end=end,
                           regime=np.where(citizenship > 0, FOREIGN, LEGIT))


def _births(city: City, ids: np.ndarray) -> np.ndarray:
    cols = city.persons._parts[-1]
    first = city.persons.count - len(cols["birth"])
    return cols["birth"][ids - first]


def _male(city: City, ids: np.ndarray) -> np.ndarray:
    male = np.concatenate([p["male"] for p in city.persons._parts])
    return male[ids]


def _new_buildings(city: City, district: np.ndarray) -> np.ndarray:
    """Building ids for new-building flats: up to ~120 flats per building, per district."""
    order = np.argsort(district, kind="stable")
    d = district[order]
    rank = np.arange(len(d)) - np.searchsorted(d, d)
    key = d.astype(np.int64) * 100_000 + rank // 120
    _, bid = np.unique(key, return_inverse=True)
    out = np.empty(len(district), np.int64)
    out[order] = bid
    city.new_building_count = int(bid.max()) + 1 if len(bid) else 0
    return out


def _completion(city: City, building: np.ndarray) -> np.ndarray:
    nb = int(building.max()) + 1 if (building >= 0).any() else 0
    done = city.days(city.as_of - 700 * DAY, city.as_of - 60 * DAY, max(nb, 1))
    out = np.full(len(building), NAT)
    has = building >= 0
    out[has] = done[building[has]]
    return out


def _previous_homes(city: City, hh, flats: np.ndarray, mover: np.ndarray, mstart: np.ndarray,
                    birth: np.ndarray) -> None:
    """Movers were registered elsewhere before; keep those stays that overlap the window."""
    rng = city.rng
    m = mover[hh.household] & (mstart > city.start)
    prev_h = rng.integers(0, len(flats), len(hh.size))
    prev_start = mstart - rng.integers(200, 3000, len(mstart)) * DAY
    prev_start = np.maximum(prev_start, birth)
    keep = m & (prev_start < mstart) & (flats[prev_h[hh.household]] != flats[hh.household])
    city.add_registrations(person=hh.members[keep], prop=flats[prev_h[hh.household]][keep],
                           temporary=False, start=prev_start[keep], end=mstart[keep],
                           regime=LEGIT)


def _owners(city: City, hh, flats: np.ndarray, start: np.ndarray, renter: np.ndarray,
            mover: np.ndarray) -> None:
    """Owner-occupiers own their flat; renters' flats belong to landlords (some own several)."""
    rng = city.rng
    h = len(flats)
    owner_occ = np.flatnonzero(~renter)
    heads = hh.heads
    own_start = start - rng.integers(0, 60, h) * DAY
    # a third of owner-occupier couples own their flat in halves
    spouse = np.full(h, -1, np.int64)
    is_spouse = hh.role == SPOUSE
    spouse[hh.household[is_spouse]] = hh.members[is_spouse]
    halves = (spouse >= 0) & ~renter & (rng.random(h) < 0.33)
    share = np.where(halves, 0.5, 1.0)
    city.add_ownerships(prop=flats[owner_occ], owner=heads[owner_occ], is_org=False,
                        share=share[owner_occ], start=own_start[owner_occ])
    city.add_ownerships(prop=flats[halves], owner=spouse[halves], is_org=False, share=0.5,
                        start=own_start[halves])
    prev = owner_occ[mover[owner_occ] & (rng.random(len(owner_occ)) < 0.6)]
    city.add_ownerships(prop=flats[prev], owner=heads[rng.choice(owner_occ, len(prev))],
                        is_org=False, share=1.0,
                        start=own_start[prev] - rng.integers(400, 4000, len(prev)) * DAY,
                        end=own_start[prev])
    rented = np.flatnonzero(renter)
    rented = rented[rng.permutation(len(rented))]
    n_ll = max(2, round(h * 0.003))
    per = rng.integers(3, 7, n_ll)
    n_ll_flats = min(int(per.sum()), len(rented))
    landlord = np.repeat(rng.choice(owner_occ, n_ll, replace=False), per)[:n_ll_flats]
    props = city.properties._parts
    look = np.concatenate([p["lookalike"] for p in props])
    look[flats[rented[:n_ll_flats]]] = LOOKALIKES.index("landlord")
    _set_property_column(city, "lookalike", look)
    owner = np.r_[landlord, rng.choice(owner_occ, len(rented) - n_ll_flats)]
    city.add_ownerships(prop=flats[rented], owner=heads[owner], is_org=False, share=1.0,
                        start=start[rented] - rng.integers(100, 3000, len(rented)) * DAY)
    # vacant second homes owned by settled heads
    nv = max(1, round(h * 0.07))
    district = housing.random_districts(city, nv)
    rooms = rng.integers(1, 4, nv)
    vac = city.add_properties(housing.APARTMENT, district, housing.flat_area(city, rooms), rooms)
    city.add_ownerships(prop=vac, owner=heads[rng.choice(owner_occ, nv)], is_org=False,
                        share=1.0, start=city.days(city.start - 3000 * DAY, city.as_of, nv))


def _set_property_column(city: City, name: str, values: np.ndarray) -> None:
    """Overwrite one column across the property chunks (values in global row order)."""
    pos = 0
    for part in city.properties._parts:
        n = len(part[name])
        part[name] = values[pos:pos + n].astype(part[name].dtype)
        pos += n
