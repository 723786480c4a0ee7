"""Ordinary tenants who come and go: chains of renters moving from one let flat to another.

Each mobile let flat is let, over the last few years, to one household after another:
families and couples for months to years, student flat-shares for an academic year, seasonal
workers from spring to autumn. A household leaving a flat rents another let flat (anywhere in
the city) with the scenario's `move_on` probability, so many strangers pass through the same
flats over time, exactly what a careless broker-network detector links. All of it is honest:
temporary registrations with the owner's documents, processed by ordinary officials, service
events where the tenants live at the time. The flats are labelled as look-alikes.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools

import numpy as np

from unseen.city import AS_OF, City
from unseen.families import family
from unseen.people import FOREIGN

LABEL = {"tenants": "tenant_chain", "students": "student_flatshare",
         "seasonal": "seasonal_workers"}
DAY = dt.timedelta(days=1)
KINDS = {"tenants": ("clinic", "school", "kindergarten", "transport", "benefit"),
         "students": ("clinic", "transport"), "seasonal": ("clinic", "transport")}


def _household(city: City, style: str, prop: str, area: float) -> list[str]:
    """New people, sized to the flat: a tenant family, 2-4 students (about one per 12 m²) or
    2-6 workers (one per 9 m²)."""
    rng, mk = city.rng, city.persons
    if style == "students":
        n = rng.randint(2, int(np.clip(area // 12, 2, 4)))
        return [mk.adult(AS_OF, lo=18, hi=24, citizenship="KAZ" if rng.random() < 0.85
                         else rng.choice(FOREIGN)) for _ in range(n)]
    if style == "seasonal":
        cz = rng.choice(FOREIGN) if rng.random() < 0.6 else "KAZ"
        n = rng.randint(2, int(np.clip(area // 9, 2, 6)))
        return [mk.adult(AS_OF, lo=19, hi=55, sex="M" if rng.random() < 0.8 else "F",
                         citizenship=cz) for _ in range(n)]
    size = int(np.clip(city.rng.gauss(area * city.sc.crowding / 28, 1.0), 1, 6))
    # made with a throw-away registration, removed again: family() writes persons+relations
    before = len(city.registrations)
    members = family(city, prop, size, AS_OF, city.rng.random() < city.sc.declared_tenants,
                     owner=False, lives_here=False)
    del city.registrations[before:]
    return members


def _stay(city: City, style: str, start: dt.date) -> tuple[dt.date, dt.date]:
    """(end of this tenancy, when the flat is let again)."""
    rng, sc = city.rng, city.sc
    if style == "students":
        end = dt.date(start.year + (start.month >= 5), 6, 30)
        return end, dt.date(end.year, 9, 1) + rng.randrange(10) * DAY
    if style == "seasonal":
        end = start + rng.randint(90, 240) * DAY
        return end, start + (365 - rng.randrange(40)) * DAY
    end = start + int(30.4 * rng.uniform(*sc.tenancy_months)) * DAY
    return end, end + rng.randrange(60) * DAY


def move(city: City, flats: list[str]) -> None:
    """Let every mobile flat to a succession of households since `history_years` ago."""
    if not flats:
        return
    rng, sc = city.rng, city.sc
    area = {p["property_id"]: p["area_m2"] for p in city.properties if p["property_id"]
            in set(flats)}
    weights = [max(0.0, 1 - sc.students - sc.seasonal), sc.students, sc.seasonal]
    style = {p: rng.choices(list(LABEL), weights)[0] for p in flats}
    begin = AS_OF - dt.timedelta(days=365 * sc.history_years)
    order = itertools.count()
    vacant = [(begin + rng.randrange(365) * DAY, next(order), p) for p in flats]
    heapq.heapify(vacant)
    movers: dict[str, list] = {s: [] for s in LABEL}  # style -> heap of (free from, n, people)
    while vacant:
        start, _, prop = heapq.heappop(vacant)
        if start >= AS_OF - 10 * DAY:
            continue  # let again after the extract
        st = style[prop]
        queue = movers[st]
        while queue and queue[0][0] < start - 120 * DAY:
            heapq.heappop(queue)  # left the city or bought a flat
        if queue and queue[0][0] <= start:
            people = heapq.heappop(queue)[2]
        else:
            people = _household(city, st, prop, area[prop])
        end, again = _stay(city, st, start)
        planned = end if end <= AS_OF + 330 * DAY else AS_OF + rng.randint(30, 330) * DAY
        district = city.district_of[prop]
        for person in people:
            if city.persons.birth(person) >= planned:
                continue  # a child born after this tenancy is not part of it
            city.register(person, prop, start, "temporary", planned,
                          rng.choice(["document", "sms", "eds"]))
            if end > AS_OF:
                city.home[person] = prop
            elif rng.random() < sc.everyday:
                city.services(person, district, prop if rng.random() < 0.5 else None,
                              rng.randint(1, 3), KINDS[st], since=start, until=end)
        if end <= AS_OF and rng.random() < sc.move_on:
            heapq.heappush(queue, (end + rng.randrange(20) * DAY, next(order), people))
        heapq.heappush(vacant, (max(again, end + DAY), next(order), prop))
    for p in flats:
        city.lookalike.setdefault(p, LABEL[style[p]])
