"""Institutions where many people are legitimately registered: the dormitory, hostel and
nursing-home look-alikes, plus ordinary commercial premises that nobody lives in.

Students arrive each September and leave each June; hostel guests stay days to months;
nursing-home residents stay until they die. Owners are universities, companies and state
bodies, as in the registry.
"""

from __future__ import annotations

import numpy as np

from zonewatch.generate import housing
from zonewatch.generate.people import foreign_mix, make_loners
from zonewatch.generate.state import FOREIGN, LEGIT, LOOKALIKES, NAT, ORG_KINDS, City

DAY = np.timedelta64(1, "D")


def _owned_by_orgs(city: City, props: np.ndarray, org_kind: str, per_org: int) -> np.ndarray:
    n_org = max(1, -(-len(props) // per_org))
    orgs = city.add_orgs(ORG_KINDS.index(org_kind), n_org)
    owner = orgs[np.arange(len(props)) % n_org]
    city.add_ownerships(prop=props, owner=owner, is_org=True, share=1.0,
                        start=city.days(city.start - 5000 * DAY, city.start, len(props)))
    return owner


def dormitories(city: City) -> int:
    """Dormitories with yearly student cohorts; returns persons created."""
    rng, n = city.rng, city.n_persons
    nd = max(1, round(n / 45_000))
    cap = np.minimum(rng.integers(120, 401, nd), max(40, int(n * 0.02)))
    district = housing.random_districts(city, nd)
    props = city.add_properties(housing.DORMITORY, district,
                                np.round(cap * rng.uniform(6, 9, nd), 1), np.maximum(cap // 3, 1),
                                lookalike=LOOKALIKES.index("dormitory"))
    _owned_by_orgs(city, props, "university", 3)
    made = 0
    first_year = int(city.start.astype("datetime64[Y]").astype(int)) + 1970 - 3
    last_year = int(city.as_of.astype("datetime64[Y]").astype(int)) + 1970
    for year in range(first_year, last_year + 1):
        cohort = np.maximum(cap // 4 + rng.integers(-3, 4, nd), 1)
        dorm = np.repeat(np.arange(nd), cohort)
        ids = make_loners(city, len(dorm), district[dorm], foreign_mix(city, len(dorm), 0.04),
                          age_lo=17 + (last_year - year) - 0, age_hi=19 + (last_year - year))
        made += len(ids)
        years = np.where(rng.random(len(ids)) < 0.85, 4, rng.integers(1, 4, len(ids)))
        for k in range(4):
            y = year + k
            m = years > k
            sept = np.datetime64(f"{y}-09-01") + rng.integers(-5, 10, m.sum()) * DAY
            june = np.full(m.sum(), np.datetime64(f"{y + 1}-06-30"))
            keep = (june > city.start) & (sept < city.as_of)
            city.add_registrations(person=ids[m][keep], prop=props[dorm[m]][keep],
                                   temporary=True, start=sept[keep], end=june[keep],
                                   regime=LEGIT)
    return made


def hostels(city: City) -> int:
    """Hostels with short stays over the last two years."""
    rng, n = city.rng, city.n_persons
    nh = max(1, round(n / 150_000))
    beds = np.minimum(rng.integers(30, 101, nh), max(15, int(n * 0.005)))
    district = housing.random_districts(city, nh)
    props = city.add_properties(housing.HOSTEL, district, np.round(beds * rng.uniform(5, 8, nh), 1),
                                np.maximum(beds // 4, 1), lookalike=LOOKALIKES.index("hostel"))
    _owned_by_orgs(city, props, "company", 2)
    stays = (beds * 0.6 * 730 / 60).astype(np.int64)
    hostel = np.repeat(np.arange(nh), stays)
    cit = foreign_mix(city, len(hostel), 0.5)
    ids = make_loners(city, len(hostel), district[hostel], cit)
    start = city.days(city.as_of - 730 * DAY, city.as_of - DAY, len(ids))
    end = start + rng.integers(7, 114, len(ids)) * DAY
    city.add_registrations(person=ids, prop=props[hostel], temporary=True, start=start, end=end,
                           regime=np.where(cit > 0, FOREIGN, LEGIT))
    return len(ids)


def nursing_homes(city: City) -> int:
    """Nursing homes: elderly residents, permanent, ended at death."""
    rng, n = city.rng, city.n_persons
    nn = max(1, round(n / 200_000))
    cap = np.minimum(rng.integers(40, 201, nn), max(15, int(n * 0.008)))
    district = housing.random_districts(city, nn)
    props = city.add_properties(housing.SOCIAL, district, np.round(cap * rng.uniform(9, 14, nn), 1),
                                np.maximum(cap // 2, 1), lookalike=LOOKALIKES.index("nursing_home"))
    _owned_by_orgs(city, props, "state_body", 4)
    total = cap * 2
    home = np.repeat(np.arange(nn), total)
    ids = make_loners(city, len(home), district[home], np.zeros(len(home), np.int8), 68, 96)
    start = city.days(city.start, city.as_of - DAY, len(ids))
    rank = np.arange(len(ids)) - np.repeat(np.cumsum(total) - total, total)
    active = rank < np.repeat(cap, total)
    end = np.full(len(ids), NAT)
    gone = ~active
    end[gone] = start[gone] + rng.integers(30, 1500, gone.sum()) * DAY
    end[gone] = np.minimum(end[gone], city.as_of - DAY)
    ok = ~gone | (end > start)
    city.add_registrations(person=ids[ok], prop=props[home][ok], temporary=False, start=start[ok],
                           end=end[ok], regime=LEGIT)
    return len(ids)


def commercial_premises(city: City) -> None:
    """Shops and offices owned by companies; nobody is registered there."""
    rng, n = city.rng, city.n_persons
    nc = max(5, round(n / 400))
    district = housing.random_districts(city, nc)
    props = city.add_properties(housing.COMMERCIAL, district,
                                np.round(rng.lognormal(np.log(120), 0.7, nc), 1),
                                rng.integers(1, 8, nc))
    _owned_by_orgs(city, props, "company", 2)
    no = max(2, nc // 20)
    other = city.add_properties(housing.OTHER, housing.random_districts(city, no),
                                np.round(rng.uniform(10, 80, no), 1), np.ones(no, np.int64))
    _owned_by_orgs(city, other, "ngo", 3)
