"""Planted fraud that follows the brokers' mechanisms, with noise.

Five kinds, sized so that no single threshold catches them all: mass registration in
small flats (6 to hundreds of strangers), nominee rings (3-8 moderately overfull flats of
a controller's relatives/associates, the same strangers moving among them), conveyor flats
(short stays cycling, high turnover), companies registering people at commercial premises,
and families registered at a flat while all their services are used in another district.
Most fraudulent registrations go through a few corrupt officials.
"""

from __future__ import annotations

import numpy as np

from zonewatch.generate import housing
from zonewatch.generate.history import Settled
from zonewatch.generate.offices import corrupt_officials
from zonewatch.generate.people import foreign_mix, make_households, make_loners
from zonewatch.generate.state import FRAUD, FRAUD_KINDS, NAT, ORG_KINDS, OWN_FAMILY, City

DAY = np.timedelta64(1, "D")
SHARES = {"mass_registration": 0.35, "nominee_ring": 0.25, "conveyor": 0.15,
          "services_elsewhere": 0.15, "commercial": 0.10}
MINIMUM = {"mass_registration": 3, "nominee_ring": 1, "conveyor": 2, "services_elsewhere": 2,
           "commercial": 2}


# rough persons created per planted unit (a ring counts as one unit), to size households
PERSONS_PER_UNIT = {"mass_registration": 20, "nominee_ring": 45, "conveyor": 83,
                    "services_elsewhere": 3.5, "commercial": 13}


def fraud_plan(n_flats: int) -> dict[str, int]:
    """How many fraud properties of each kind (rings: how many rings) for a city's flats."""
    total = 0.015 * n_flats
    n = {k: max(MINIMUM[k], round(total * s)) for k, s in SHARES.items()}
    n["nominee_ring"] = max(1, round(total * SHARES["nominee_ring"] / 5.5))
    return n


def expected_persons(plan: dict[str, int]) -> int:
    return int(sum(PERSONS_PER_UNIT[k] * v for k, v in plan.items()))


def plant_fraud(city: City, settled: Settled, n: dict[str, int]) -> dict[str, int]:
    """Plant every fraud kind as planned; returns fraud properties per kind."""
    corrupt = corrupt_officials(city)
    order = city.rng.permutation(len(settled.heads))
    owners, is_male = settled.heads[order], settled.head_male[order]
    used = np.zeros(len(owners), bool)

    def take_owners(k: int, male: bool = False) -> np.ndarray:
        """k owners not used by another planted scheme (each owner has one role)."""
        free = np.flatnonzero(~used & (is_male | (not male)))[:k]
        used[free] = True
        return owners[free]

    made = {"mass_registration": _mass(city, n["mass_registration"], corrupt, take_owners)}
    made["nominee_ring"] = _rings(city, n["nominee_ring"], corrupt, take_owners)
    made["conveyor"] = _conveyor(city, n["conveyor"], corrupt, take_owners)
    made["commercial"] = _commercial(city, n["commercial"], corrupt)
    made["services_elsewhere"] = _services(city, n["services_elsewhere"], corrupt, take_owners)
    return made


def _brokers(city: City, corrupt: np.ndarray, n: int, p: float = 0.8) -> np.ndarray:
    return np.where(city.rng.random(n) < p, city.rng.choice(corrupt, n), -1)


def _strangers(city: City, prop_district: np.ndarray, counts: np.ndarray,
               foreign: float) -> tuple[np.ndarray, np.ndarray]:
    """Unrelated fictitious registrants: they live in another district or outside the city."""
    idx = np.repeat(np.arange(len(counts)), counts)
    home = housing.other_district(city, prop_district[idx])
    home[city.rng.random(len(idx)) < 0.5] = -1
    ids = make_loners(city, len(idx), home, foreign_mix(city, len(idx), foreign))
    return ids, idx


def _fictitious(city: City, props: np.ndarray, district: np.ndarray, active: np.ndarray,
                broker: np.ndarray, foreign: float) -> None:
    """Active and already-ended strangers registered at the given properties since fraud began."""
    rng = city.rng
    ended = rng.binomial(active, 0.3)
    begun = city.as_of - rng.integers(120, 2200, len(props)) * DAY
    ids, idx = _strangers(city, district, active + ended, foreign)
    rank = np.arange(len(idx)) - np.repeat(np.cumsum(active + ended) - active - ended,
                                           active + ended)
    is_active = rank < active[idx]
    span = ((city.as_of - begun[idx]) / DAY).astype(np.int64)
    start = begun[idx] + (rng.random(len(idx)) * (span - 1)).astype(np.int64) * DAY
    end = np.full(len(idx), NAT)
    stay = rng.integers(30, 400, len(idx)) * DAY
    gone = ~is_active
    start[gone] = np.minimum(start[gone], city.as_of - 40 * DAY)
    end[gone] = np.minimum(start[gone] + stay[gone], city.as_of - DAY)
    temporary = rng.random(len(idx)) < 0.4
    hint = np.where(rng.random(len(idx)) < 0.85, broker[idx], -1)
    city.add_registrations(person=ids, prop=props[idx], temporary=temporary, start=start, end=end,
                           regime=FRAUD, hint=hint)


def _own(city: City, props: np.ndarray, owner: np.ndarray, kind: str, is_org: bool = False) -> None:
    start = city.days(city.as_of - 4000 * DAY, city.as_of - 200 * DAY, len(props))
    city.add_ownerships(prop=props, owner=owner, is_org=is_org, share=1.0, start=start)
    city.add_owner_labels(np.unique(owner), is_org, "fraud_owner", kind)


def _mass(city: City, n: int, corrupt: np.ndarray, take) -> int:
    rng = city.rng
    district = housing.random_districts(city, n)
    rooms = rng.integers(1, 3, n)
    area = np.round(rng.uniform(22, 50, n), 1)
    props = city.add_properties(housing.APARTMENT, district, area, rooms,
                                fraud=FRAUD_KINDS.index("mass_registration"))
    active = np.minimum(6 + rng.lognormal(np.log(6), 1.0, n).astype(np.int64), 300)
    _fictitious(city, props, district, active, _brokers(city, corrupt, n), 0.15)
    owner = take(max(1, round(n * 0.8)))
    _own(city, props, owner[np.arange(n) % len(owner)], "mass_registration")
    return n


def _conveyor(city: City, n: int, corrupt: np.ndarray, take) -> int:
    rng = city.rng
    district = housing.random_districts(city, n)
    rooms = rng.integers(1, 3, n)
    props = city.add_properties(housing.APARTMENT, district, housing.flat_area(city, rooms),
                                rooms, fraud=FRAUD_KINDS.index("conveyor"))
    concurrency = rng.integers(3, 8, n)
    span = rng.integers(365, 1461, n)
    count = (concurrency * span / 55).astype(np.int64)
    ids, idx = _strangers(city, district, count, 0.4)
    start = city.as_of - (rng.random(len(idx)) * span[idx]).astype(np.int64) * DAY
    end = start + rng.integers(20, 91, len(idx)) * DAY
    broker = _brokers(city, corrupt, n)
    hint = np.where(rng.random(len(idx)) < 0.85, broker[idx], -1)
    temporary = (rng.random(len(idx)) < 0.85) | (end > city.as_of)  # future ends are planned
    city.add_registrations(person=ids, prop=props[idx], temporary=temporary,
                           start=start, end=end, regime=FRAUD, hint=hint)
    _own(city, props, take(n), "conveyor")
    return n


def _commercial(city: City, n: int, corrupt: np.ndarray) -> int:
    rng = city.rng
    district = housing.random_districts(city, n)
    props = city.add_properties(housing.COMMERCIAL, district,
                                np.round(rng.lognormal(np.log(120), 0.7, n), 1),
                                rng.integers(1, 6, n), fraud=FRAUD_KINDS.index("commercial"))
    active = np.minimum(5 + rng.lognormal(np.log(5), 0.9, n).astype(np.int64), 150)
    _fictitious(city, props, district, active, _brokers(city, corrupt, n), 0.3)
    orgs = city.add_orgs(ORG_KINDS.index("company"), max(1, round(n * 0.7)))
    _own(city, props, orgs[np.arange(n) % len(orgs)], "commercial", is_org=True)
    return n


def _services(city: City, n: int, corrupt: np.ndarray, take) -> int:
    """Families registered at a flat (often for a school) while living in another district."""
    rng = city.rng
    district = housing.random_districts(city, n)
    rooms = rng.integers(1, 4, n)
    props = city.add_properties(housing.APARTMENT, district, housing.flat_area(city, rooms), rooms,
                                fraud=FRAUD_KINDS.index("services_elsewhere"))
    sizes = rng.integers(2, 6, n)
    hh = make_households(city, sizes, housing.other_district(city, district),
                         np.zeros(n, np.int8), declare_share=0.5)
    start = city.days(city.as_of - 1800 * DAY, city.as_of - 30 * DAY, n)[hh.household]
    broker = _brokers(city, corrupt, n, 0.5)
    city.add_registrations(person=hh.members, prop=props[hh.household], temporary=False,
                           start=start, end=np.full(len(start), NAT), regime=FRAUD,
                           hint=broker[hh.household])
    _own(city, props, take(n), "services_elsewhere")
    return n


def _rings(city: City, n_rings: int, corrupt: np.ndarray, take) -> int:
    """Nominee rings: a controller and relatives/associates owning moderately overfull flats."""
    rng = city.rng
    made = 0
    controllers = take(n_rings, male=True)
    bank = city.names
    pc = city.person_columns("surname", "first", "patronymic", "birth", "home")
    ru_surnames = set(bank.pools["ru"].surname_m.tolist())
    for r, ctrl in enumerate(controllers):
        m = int(rng.integers(3, 9))
        district = np.full(m, rng.integers(0, len(city.district_names)))
        district[rng.random(m) < 0.3] = housing.random_districts(city, 1)[0]
        rooms = rng.integers(1, 4, m)
        props = city.add_properties(housing.APARTMENT, district, housing.flat_area(city, rooms),
                                    rooms, fraud=FRAUD_KINDS.index("nominee_ring"), ring=r)
        began = city.as_of - int(rng.integers(540, 1460)) * DAY
        # nominees: siblings (declared or by name only), sons, or associates
        k = m - 1
        kind = rng.choice(4, k, p=[0.35, 0.25, 0.2, 0.2])
        kind[: (k + 1) // 2] = rng.choice(3, (k + 1) // 2, p=[0.45, 0.3, 0.25])  # most kin
        sibling, son = kind <= 1, kind == 2
        pool = bank.pools["ru" if pc["surname"][ctrl] in ru_surnames else "kk"]
        first = rng.choice(pool.first_m, k)
        surname = np.where(kind < 3, pc["surname"][ctrl], rng.choice(pool.surname_m, k))
        patr = np.where(sibling, pc["patronymic"][ctrl],
                        np.where(son, bank.patr_m_of[pc["first"][ctrl]],
                                 rng.choice(pool.patr_m, k)))
        birth = pc["birth"][ctrl] + rng.integers(-3000, 3000, k) * DAY
        birth[son] = pc["birth"][ctrl] + rng.integers(20 * 365, 26 * 365, son.sum()) * DAY
        birth = np.minimum(birth, city.as_of - 19 * 365 * DAY)
        nominees = city.add_persons(male=np.ones(k, bool), birth=birth, surname=surname,
                                    first=first, patronymic=patr, citizenship=np.zeros(k, np.int8),
                                    home=district[1:])
        declared = (kind == 0) | (son & (rng.random(k) < 0.5))
        city.add_relations(np.full(declared.sum(), ctrl), nominees[declared],
                           np.where(son[declared], 1, 3))
        owners = np.r_[ctrl, nominees]
        city.add_ownerships(prop=props, owner=owners, is_org=False, share=1.0,
                            start=began - rng.integers(30, 900, m) * DAY)
        city.add_registrations(person=nominees, prop=props[1:], temporary=False,
                               start=began - rng.integers(0, 400, k) * DAY,
                               end=np.full(k, NAT), regime=OWN_FAMILY)
        broker = rng.choice(corrupt)
        pool = int(rng.integers(4, 10, m).sum())
        people = _strangers(city, district[:1], np.array([pool]), 0.15)[0]
        _ring_moves(city, people, props, began, broker)
        city.add_owner_labels(np.array([ctrl]), False, "controller", "nominee_ring", r)
        city.add_owner_labels(nominees, False, "nominee", "nominee_ring", r)
        city.rings.append({"ring": r, "controller": ctrl, "owners": owners, "props": props,
                           "officials": np.array([broker])})
        made += m
    return made


def _ring_moves(city: City, people: np.ndarray, props: np.ndarray, began: np.datetime64,
                broker: int) -> None:
    """Each stranger has 1-3 consecutive stays in the ring's flats; most are still there."""
    rng = city.rng
    p = len(people)
    stints = rng.integers(1, 4, p)
    start = began + rng.integers(0, 200, p) * DAY
    stays_open = rng.random(p) < 0.85
    for s in range(3):
        live = (stints > s) & (start < city.as_of)
        last = stints == s + 1
        length = rng.integers(90, 541, p) * DAY
        end = start + length
        end_col = np.where(last & stays_open, NAT, np.minimum(end, city.as_of - DAY))
        end_col = np.where(~last & (end >= city.as_of), NAT, end_col)
        ok = live & ((end_col > start) | np.isnat(end_col))
        hint = np.where(rng.random(p) < 0.85, broker, -1)
        city.add_registrations(person=people[ok], prop=rng.choice(props, p)[ok],
                               temporary=rng.random(p)[ok] < 0.3, start=start[ok],
                               end=end_col[ok], regime=FRAUD, hint=hint[ok])
        stints = np.where(~last & (end >= city.as_of), 0, stints)
        start = end
