"""Fraud laid on the legitimate city, in shapes and proportions of our own choosing.

Kinds (the share of fraud properties is roughly the weight in Scenario.shares):
- small_rubber: 3-5 strangers registered over months in a small flat whose owner lives there;
- big_rubber: 10-60 strangers in an empty flat, partly in same-day groups;
- relatives_ring: a controller and his relatives (declared or not) each own rubber flats;
- conveyor: short temporary stays back to back, only 2-5 registered on any one day;
- commercial: people registered at a company's commercial premises;
- services_elsewhere: a family flat plus 2-4 strangers who live their lives in another district
  (in a scenario: 2-6 strangers, in a family flat or an empty normal-sized flat, who all live
  in one other district);
- hijacked: an official registers strangers in a family flat without the owner's consent.
Every count, size and share comes from the city's Scenario (unseen/scenario.py).
Historically two corrupt officials do honest work like their colleagues and process a
quarter of the fraud registrations (a quarter of those out of hours, 15% without the owner's
consent) and the hijackings.
Fake registrants come in family groups, a quarter of them foreign nationals.
"""

from __future__ import annotations

import datetime as dt

from unseen.city import AS_OF, City
from unseen.people import FOREIGN
from unseen.scenario import corrupt_count

PER_FLATS = 75_000  # Scenario.shares are per this many flats


def fakes(city: City, n: int) -> list[str]:
    """n people who live elsewhere, in family groups of 1-4."""
    rng, sc, out = city.rng, city.sc, []
    while len(out) < n:
        size = min(n - len(out), rng.choice(sc.fake_groups))
        cz = "KAZ" if rng.random() < 1 - sc.foreign else rng.choice(FOREIGN)
        surname = city.persons.surname()
        head = city.persons.adult(AS_OF, surname, 20, 55, citizenship=cz)
        row = city.persons.rows[-1]
        father = row["first_name"] if row["sex"] == "M" else None
        group = [head] + [city.persons.make(rng.choice("MF"), rng.randint(1, 17), AS_OF,
                                            surname, cz, father) for _ in range(size - 1)]
        if rng.random() < sc.fake_declared:
            for p in group[1:]:
                city.relate(head, p, "child")
        out += group
    city.fake.update(out)
    return out


def corrupt_officials(city: City, districts: list[str]) -> None:
    """Corrupt officials (two historically) at public service centres of the districts; call
    before the city is populated: they also do their share of honest work in their district."""
    psc = sorted((o["office_id"], o["district"]) for o in city.offices
                 if o["kind"] == "psc" and o["district"] in districts)
    n = corrupt_count(city.sc, len(city.officials))
    many = n > len(psc)  # then some offices have more than one
    picks = [city.rng.choice(psc) for _ in range(n)] if many else city.rng.sample(psc, n)
    for i, (oid, district) in enumerate(picks):
        sid = f"{oid}-x{i}" if many else f"{oid}-x"
        city.officials.append({"official_id": sid, "office_id": oid, "name": None})
        city.office_of[sid] = oid
        city.honest[district].append(sid)
        city.fraud_officials.add(sid)


def fraud_reg(city: City, crooks: list[str], person: str, prop: str, start: dt.date,
              kind: str = "permanent", end: dt.date | None = None,
              consent: str | None = None) -> None:
    """A fraudulent registration, processed by a corrupt official with the scenario's
    probability."""
    rng, sc = city.rng, city.sc
    if rng.random() < sc.corrupt_share:
        hour = rng.choice([7, 19, 20, 21]) if rng.random() < sc.after_hours else None
        c = "none" if rng.random() < sc.no_consent else consent or rng.choice(["sms", "eds"])
        city.register(person, prop, start, kind, end, c, rng.choice(crooks), hour)
    else:
        city.register(person, prop, start, kind, end, consent or rng.choice(["sms", "eds"]))


def use_services(city: City, person: str, prop: str, elsewhere: float,
                 since: dt.date | None = None) -> None:
    """Where a fake registrant's services are (mostly after registering): elsewhere, at the
    registration, or nowhere."""
    rng = city.rng
    home = city.district_of[prop]
    r = rng.random()
    since = since if rng.random() < 0.8 else None
    if r < elsewhere:
        other = rng.choice(sorted(set(city.district_of.values()) - {home}))
        city.services(person, other, None, rng.randint(2, 5), since=since)
    elif r < elsewhere + city.sc.at_registration:
        city.services(person, home, None, rng.randint(1, 3), since=since)


def rubber(city: City, crooks: list[str], prop: str, n: int, months: int,
           bursts: bool = False, elsewhere: float | None = None) -> None:
    """n strangers registered at prop over the last `months` months."""
    rng = city.rng
    people = fakes(city, n)
    day = city.day(AS_OF - dt.timedelta(days=30 * months), AS_OF - dt.timedelta(days=5))
    for i, p in enumerate(people):
        if not bursts or i % rng.randint(3, 6) == 0:
            day = city.day(AS_OF - dt.timedelta(days=30 * months), AS_OF - dt.timedelta(days=5))
        fraud_reg(city, crooks, p, prop, day)
        use_services(city, p, prop, city.sc.elsewhere if elsewhere is None else elsewhere, day)


def services_group(city: City, crooks: list[str], prop: str, n: int) -> None:
    """n people registered within weeks of each other who live together in one other
    district: their clinic, school and benefit visits are all there."""
    rng = city.rng
    other = rng.choice(sorted(set(city.district_of.values()) - {city.district_of[prop]}))
    first = city.day(AS_OF - dt.timedelta(days=720), AS_OF - dt.timedelta(days=40))
    for p in fakes(city, n):
        day = first + dt.timedelta(days=rng.randrange(30))
        fraud_reg(city, crooks, p, prop, day)
        if rng.random() < city.sc.group_coverage:
            city.services(p, other, None, rng.randint(2, 6), ("clinic", "school", "benefit"),
                          since=day if rng.random() < 0.8 else None)


def owner_of(city: City, prop: str) -> str:
    return city.owned[prop][-1]["owner_id"]


def plant(city: City, pools: dict[str, list[str]], n_flats: int, fraud_scale: float = 1.0) -> None:
    """Lay every kind of fraud (fraud_scale multiplies every count); records the truth in
    city.fraud_kind / owners / rings."""
    rng, sc = city.rng, city.sc
    crooks = sorted(city.fraud_officials)
    scale = n_flats / PER_FLATS * fraud_scale * sc.fraud_scale
    want = {k: max(sc.min_per_kind, round(v * scale)) for k, v in sc.shares.items()}
    area = {p["property_id"]: p["area_m2"] for p in city.properties}
    free = lambda pool: [p for p in pools[pool] if p not in city.lookalike]  # noqa: E731
    small = [p for p in free("ordinary") if area[p] < 50]
    family_flats = [p for p in free("ordinary") if area[p] >= 50]
    empty = free("empty")
    for pool in (small, family_flats, empty):
        rng.shuffle(pool)
    normal = [] if sc.legacy else [p for p in empty if 35 <= area[p] <= 90]

    def mark(prop: str, kind: str, owner: str | None) -> None:
        city.fraud_kind[prop] = kind
        if owner:
            city.fraud_owners.add(owner)

    for _ in range(min(want["small_rubber"], len(small))):
        p = small.pop()
        rubber(city, crooks, p, rng.randint(*sc.small_rubber),
               rng.randint(*sc.small_rubber_months))
        mark(p, "small_rubber", owner_of(city, p))
    for _ in range(min(want["big_rubber"], len(empty))):
        p = empty.pop()
        rubber(city, crooks, p, rng.randint(*sc.big_rubber), 24, bursts=True)
        mark(p, "big_rubber", owner_of(city, p))
    made = 0
    rings = len(city.rings)
    while ((made < want["relatives_ring"] or len(city.rings) - rings < sc.min_rings)
           and len(empty) > sc.ring_flats[1]):
        made += ring(city, crooks, empty, rng.choice(family_flats), mark)
    for _ in range(min(want["conveyor"], len(empty))):
        p = empty.pop()
        conveyor(city, crooks, p)
        mark(p, "conveyor", owner_of(city, p))
    commercial = [p["property_id"] for p in city.properties if p["kind"] == "commercial"]
    rng.shuffle(commercial)
    for i, p in enumerate(commercial):
        org = f"ORG-C{i + 1}"
        city.organizations.append({"org_id": org, "bin": None, "name": f"ТОО {org}",
                                   "kind": "company"})
        city.own(p, org, dt.date(2015, 1, 1), owner_type="organization")
        if i < want["commercial"]:
            rubber(city, crooks, p, rng.randint(*sc.commercial), 24)
            mark(p, "commercial", org)
        elif rng.random() < 0.12:
            guard = city.persons.adult(AS_OF, lo=40, hi=65)
            city.register(guard, p, city.day(dt.date(2018, 1, 1), AS_OF - dt.timedelta(
                days=90)), consent="document")
            city.lookalike[p] = "commercial_caretaker"
    left = set(empty)
    normal = [p for p in normal if p in left]
    for _ in range(want["services_elsewhere"]):
        in_empty = normal and rng.random() < sc.services_in_empty
        if not in_empty and not family_flats:
            break
        p = normal.pop() if in_empty else family_flats.pop()
        if sc.services_one_district:
            services_group(city, crooks, p, rng.randint(*sc.services_group))
        else:
            rubber(city, crooks, p, rng.randint(*sc.services_group), 24, elsewhere=1.0)
        mark(p, "services_elsewhere", owner_of(city, p))
    for _ in range(min(want["hijacked"], len(family_flats))):
        p = family_flats.pop()
        for person in fakes(city, rng.randint(*sc.hijacked)):
            start = city.day(AS_OF - dt.timedelta(days=500), AS_OF - dt.timedelta(days=5))
            city.register(person, p, start, consent="none", official=rng.choice(crooks),
                          hour=rng.randint(9, 21))
            use_services(city, person, p, city.sc.elsewhere, start)
        mark(p, "hijacked", None)


def ring(city: City, crooks: list[str], empty: list[str], home: str, mark) -> int:
    """A controller (living at home) and 2-4 relatives owning 3-7 rubber flats; returns flats."""
    rng = city.rng
    controller = owner_of(city, home)
    row = city.persons.rows[int(controller[1:]) - 1]
    stem = row["last_name"][:-1] if row["sex"] == "F" and row["last_name"].endswith("а") \
        else row["last_name"]
    declared = rng.random() < city.sc.ring_declared
    owners = [controller]
    for relation in rng.sample(["sibling", "child", "parent", "sibling", "other"],
                               rng.randint(*city.sc.ring_relatives)):
        sex = rng.choice("MF")
        surname = stem if (sex == "M" or relation != "child" or rng.random() < 0.4) \
            else city.persons.surname()
        age = {"child": (20, 35), "parent": (60, 85)}.get(relation, (25, 60))
        rel = city.persons.make(sex, rng.randint(*age), AS_OF, surname)
        if declared:
            city.relate(controller, rel, relation)
        owners.append(rel)
    flats = []
    for _ in range(rng.randint(*city.sc.ring_flats)):
        p = empty.pop()
        owner = rng.choice(owners)
        bought = AS_OF - dt.timedelta(days=rng.randint(400, 800))
        for o in city.owned.get(p, []):
            if o["end_date"] is None:
                o["end_date"] = max(o["start_date"], bought.isoformat())
        city.own(p, owner, bought)
        rubber(city, crooks, p, rng.randint(*city.sc.ring_people), 24)
        mark(p, "relatives_ring", owner)
        flats.append(p)
    city.rings.append(flats)
    return len(flats)


def conveyor(city: City, crooks: list[str], prop: str) -> None:
    """Back-to-back temporary stays of 20-90 days in 2-5 parallel slots over 18 months."""
    rng = city.rng
    for _ in range(rng.randint(*city.sc.conveyor_slots)):
        day = AS_OF - dt.timedelta(days=rng.randint(450, 560))
        while day < AS_OF:
            stay = rng.randint(*city.sc.conveyor_stay)
            person = fakes(city, 1)[0]
            fraud_reg(city, crooks, person, prop, day, "temporary",
                      day + dt.timedelta(days=stay))
            use_services(city, person, prop, city.sc.elsewhere, day)
            day += dt.timedelta(days=stay + rng.randint(0, 10))
