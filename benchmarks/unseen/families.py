"""Legitimate residents: families consistent with each building's real residents, and the
look-alikes that crowd a flat for honest reasons.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from unseen.city import AS_OF, City
from unseen.people import FOREIGN

YEARS = dt.timedelta(days=365)


def family(city: City, prop: str, size: int, move_in: dt.date, declared: bool,
           owner: bool = True, kind: str = "permanent", end: dt.date | None = None,
           consent: str | None = None, lives_here: bool = True) -> list[str]:
    """A family registered at prop from move_in: head, maybe spouse, children, a grandparent."""
    rng, mk = city.rng, city.persons
    surname = mk.surname()
    head_sex = rng.choice("MF") if size == 1 else "M" if rng.random() < 0.8 else "F"
    head_age = rng.randint(22, 80) if size == 1 else rng.randint(27, 62)
    head = mk.make(head_sex, head_age, AS_OF, surname)
    members = [(head, "head")]
    if size >= 2 and rng.random() < city.sc.spouse:
        spouse = mk.make("F" if head_sex == "M" else "M", max(19, head_age + rng.randint(-6, 4)),
                         AS_OF, surname if rng.random() < 0.8 else None)
        members.append((spouse, "spouse"))
    if size >= 5 and rng.random() < city.sc.grandparent:
        members.append((mk.make(rng.choice("MF"), head_age + rng.randint(22, 32), AS_OF,
                                surname), "parent"))
    fathers = [mk.rows[int(p[1:]) - 1] for p, role in members if role in ("head", "spouse")]
    father = next((r["first_name"] for r in fathers if r["sex"] == "M"), None)
    while len(members) < size:
        age = rng.randint(0, min(30, max(0, head_age - 18)))
        members.append((mk.make(rng.choice("MF"), age, AS_OF, surname, father=father),
                        "child"))
    births = {r["person_id"]: dt.date.fromisoformat(r["birth_date"])
              for r in mk.rows[-len(members):]}
    for pid, role in members:
        start = max(move_in, births[pid])
        c = "not_required" if (owner and role == "head") else consent
        city.register(pid, prop, start, kind, end, c)
        if lives_here:
            city.home[pid] = prop
        if declared and role != "head":
            city.relate(head, pid, role)
    if owner:
        city.own(prop, head, move_in)
    return [m for m, _ in members]


def move_in_date(city: City, year: float) -> dt.date:
    """When a family moved in: any time since the building (or 1990) until two months ago."""
    lo = dt.date(int(min(max(year, 1990), 2024)) if year == year else 1990, 1, 1)
    return city.day(lo, AS_OF - dt.timedelta(days=60))


def populate(city: City, buildings: pd.DataFrame,
             flats: dict[str, list[str]]) -> dict[str, list[str]]:
    """Fill every flat; returns flat ids by what fraud may be laid on: `ordinary` family
    flats, `let` to tenants by an owner living elsewhere (`mobile`: those whose tenants come
    and go, filled later by `tenants.move`), `empty` (owned, nobody registered)."""
    rng, sc = city.rng, city.sc
    large, relatives = sc.large_family, sc.large_family + sc.relatives_registered
    rented = relatives + sc.rental
    nrng = np.random.default_rng(rng.randrange(2**31))
    area = {p["property_id"]: p["area_m2"] for p in city.properties}
    new = set(buildings[(buildings["kind"] == "block") & (buildings["apts"].between(40, 200))]
              .sample(n=2, random_state=rng.randrange(2**31))["building_id"])
    ordinary: list[str] = []
    let: list[str] = []
    empty: list[str] = []
    mobile: list[str] = []
    for b in buildings.itertuples(index=False):
        ids = flats[b.building_id]
        if b.kind == "dormitory":
            dormitory(city, ids[0], b.people)
            continue
        if b.kind in ("hostel", "social_institution"):
            institution(city, ids[0], b.kind, b.people)
            continue
        areas = np.array([area[p] for p in ids])
        sizes = nrng.poisson(b.people * sc.crowding * areas / areas.sum())
        window = city.day(AS_OF - 2 * YEARS, AS_OF - dt.timedelta(days=120))
        for pid, size in zip(ids, sizes, strict=True):
            if size == 0 or rng.random() < sc.empty:
                city.own(pid, city.persons.adult(AS_OF, lo=30), move_in_date(city, b.year))
                empty.append(pid)
                continue
            if b.building_id in new:
                family(city, pid, int(size), window + dt.timedelta(days=rng.randrange(25)),
                       rng.random() < sc.declared_tenants)
                city.lookalike[pid] = "new_building"
                continue
            role = rng.random()
            move_in = move_in_date(city, b.year)
            if role < large and 40 <= area[pid] <= 80:
                declared = rng.random() < 0.5
                family(city, pid, rng.randint(8, 13), move_in, declared)
                city.lookalike[pid] = "large_family" if declared else "large_family_undeclared"
            elif role < relatives and area[pid] < 42:
                relatives_registered(city, pid, move_in)
            elif role < rented:
                if sc.mobile and rng.random() < sc.mobile:
                    city.own(pid, city.persons.adult(AS_OF, lo=35), move_in)
                    let.append(pid)
                    mobile.append(pid)
                    continue
                family(city, pid, int(size), move_in, rng.random() < sc.declared_tenants,
                       owner=False,
                       kind="temporary", consent="document",
                       end=AS_OF + dt.timedelta(days=rng.randint(30, 330)))
                city.own(pid, city.persons.adult(AS_OF, lo=35), move_in)
                let.append(pid)
            else:
                members = family(city, pid, int(size), move_in, rng.random() < sc.declared)
                ordinary.append(pid)
                if rng.random() < sc.student_away:
                    student_away(city, pid, members)
    return {"ordinary": ordinary, "let": let, "empty": empty, "mobile": mobile}


def dormitory(city: City, prop: str, people: int) -> None:
    """A real dormitory: students registered temporarily from term starts, some staff."""
    rng = city.rng
    org = f"ORG-U{len(city.organizations) + 1}"
    city.organizations.append({"org_id": org, "bin": None, "name": f"Университет {org}",
                               "kind": "university"})
    city.own(prop, org, dt.date(1985, 1, 1), owner_type="organization")
    for _ in range(people):
        term = dt.date(rng.choice([2023, 2024, 2025, 2026]), 9, 1)
        start = term + dt.timedelta(days=rng.randrange(10))
        pid = city.persons.adult(AS_OF, lo=17, hi=26,
                                 citizenship="KAZ" if rng.random() < 0.8 else "KGZ")
        city.register(pid, prop, start, "temporary", dt.date(2027, 6, 30), "document")
        city.home[pid] = prop
    city.lookalike[prop] = "dormitory"


def institution(city: City, prop: str, kind: str, people: int) -> None:
    """A worker hostel (stays of 1-9 months back to back, many foreigners) or a nursing home
    (old people registered for years until they die), owned by an organization."""
    rng = city.rng
    org = f"ORG-{'H' if kind == 'hostel' else 'N'}{len(city.organizations) + 1}"
    city.organizations.append({"org_id": org, "bin": None, "kind": "company" if kind == "hostel"
                               else "state_body", "name": ("Хостел " if kind == "hostel" else
                                                          "Дом престарелых ") + org})
    city.own(prop, org, dt.date(2005, 1, 1), owner_type="organization")
    for _ in range(max(10, min(250, people))):
        if kind == "hostel":
            day = AS_OF - dt.timedelta(days=rng.randint(700, 760))
            while day < AS_OF:
                stay = rng.randint(30, 270)
                foreign = rng.random() < 0.5
                pid = city.persons.adult(AS_OF, lo=20, hi=55, citizenship=rng.choice(FOREIGN)
                                         if foreign else "KAZ")
                end = day + dt.timedelta(days=stay)
                city.register(pid, prop, day, "temporary", end, "document")
                if end > AS_OF:
                    city.home[pid] = prop
                day = end + dt.timedelta(days=rng.randint(0, 20))
            continue
        day = dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(365 * 6))
        while day < AS_OF:
            stay = dt.timedelta(days=int(rng.expovariate(1 / 1500)) + 30)
            pid = city.persons.adult(AS_OF, lo=72, hi=95)
            end = day + stay
            city.register(pid, prop, day, "permanent", end if end <= AS_OF else None,
                          "not_required")
            if end > AS_OF:
                city.home[pid] = prop
            day = end + dt.timedelta(days=rng.randint(3, 60))
    city.lookalike[prop] = "hostel" if kind == "hostel" else "nursing_home"


def relatives_registered(city: City, prop: str, move_in: dt.date) -> None:
    """A grandmother's small flat where a daughter's family registered (for a school place)."""
    rng = city.rng
    members = family(city, prop, rng.randint(1, 2), move_in, True)
    grandma = members[0]
    surname = city.persons.rows[-1]["last_name"].rstrip("а")
    start = city.day(AS_OF - 2 * YEARS, AS_OF - dt.timedelta(days=20))
    daughter = city.persons.adult(AS_OF, lo=28, hi=42, sex="F")
    kids = [city.persons.make(rng.choice("MF"), rng.randint(3, 14), AS_OF, surname)
            for _ in range(rng.randint(2, 4))]
    declared = rng.random() < 0.5
    for p in [daughter, *kids]:
        city.register(p, prop, start + dt.timedelta(days=rng.randrange(3)), consent="in_person")
        city.services(p, city.district_of[prop], None, 2, ("school", "clinic", "kindergarten"))
        if declared:
            city.relate(grandma, p, "child" if p == daughter else "other")
    city.lookalike[prop] = "relatives_registered" if declared else "relatives_undeclared"


def student_away(city: City, prop: str, members: list[str]) -> None:
    """A family flat whose grown child studies and uses services in another district."""
    districts = sorted(set(city.district_of.values()) - {city.district_of[prop]})
    for p in members[-2:]:
        city.services(p, city.rng.choice(districts), None, 3, ("clinic", "benefit"))
    city.lookalike[prop] = "student_away"


def landlords(city: City, let: list[str], n: int) -> None:
    """Landlords owning 3-6 of the let flats each (tenants unrelated to them)."""
    rng = city.rng
    row = {p: rows[-1] for p, rows in city.owned.items()}
    pool = [p for p in let if p not in city.lookalike]
    rng.shuffle(pool)
    for _ in range(n):
        owner = city.persons.adult(AS_OF, lo=40, hi=70)
        for _ in range(rng.randint(3, 6)):
            if not pool:
                return
            prop = pool.pop()
            row[prop]["owner_id"] = owner
            city.lookalike[prop] = "landlord"
