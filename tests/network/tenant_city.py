"""A city where ordinary tenants move: 300 family flats, 30 rented flats that tenants
move between over the years (one or two at a time), and one broker ring of 5 flats held
by a controller and his two children, among which strangers are batch-registered and
passed on within weeks, approved by official F1. Built on nw_city's City, row by row."""

from __future__ import annotations

import datetime as dt
import random

from nw_city import City, day

CHAIN = [f"TF{i:02d}" for i in range(30)]
RING = [f"KF{i}" for i in range(5)]


def _office(c: City) -> None:
    c.rows["offices"].append({"office_id": "O1", "name": "PSC 1", "district": "D1",
                              "kind": "psc"})
    for f in ("F1", "F2", "F3"):
        c.rows["officials"].append({"official_id": f, "office_id": "O1", "name": None})


def _families(c: City, rng: random.Random) -> None:
    for i in range(300):
        owner = c.person(f"FO{i}", f"Family{i}", "Name")
        prop = c.flat(f"FF{i:03d}", owner, score=rng.random() * 0.2, area=55.0)
        c.register(owner, prop, day(3000 - i), None, official=rng.choice(["F2", "F3"]))
        for k in range(rng.randint(0, 3)):
            c.register(c.person(f"FK{i}_{k}", f"Family{i}", "Kid"), prop, day(2800 - i),
                       None, official=rng.choice(["F2", "F3"]))


def _tenant_chain(c: City, rng: random.Random, flagged: bool) -> None:
    """Each rented flat has its own landlord living elsewhere; 45 tenant households of 1-2
    move every 8-20 months to another rented flat, over six years. The rentals look busy
    (`flagged` gives them a turnover-like score)."""
    for i, prop in enumerate(CHAIN):
        c.flat(prop, c.person(f"TL{i}", f"Landlord{i}", "Name"), area=50.0,
               score=3.0 + rng.random() if flagged else 0.1)
    for h in range(45):
        size = rng.choice([1, 1, 2])
        people = [c.person(f"TT{h}_{k}", f"Tenant{h}", "Name", sex="MF"[k]) for k in range(size)]
        when = day(2200 - rng.randint(0, 200))
        flat = rng.choice(CHAIN)
        while when < day(0):
            stay = dt.timedelta(days=rng.randint(240, 600))
            until = when + stay if when + stay < day(0) else None
            for pid in people:
                c.register(pid, flat, when, until, official=rng.choice(["F2", "F3"]))
            if until is None:
                break
            when = until + dt.timedelta(days=rng.randint(0, 20))
            flat = rng.choice([f for f in CHAIN if f != flat])


def _ring(c: City, rng: random.Random) -> None:
    """Controller K (Нурланов Арман), his son and daughter own 5 small flats (K also his
    home, KH, where he lives with his son); 30 strangers
    come in batches of 3 on one day, each passed on to another ring flat within 30-90
    days, some a second time; F1 approves nearly all of it."""
    c.person("K", "Нурланов", "Арман", "Ерланович")
    c.person("K1", "Нурланов", "Данияр", "Арманович")
    c.person("K2", "Нурланова", "Айым", "Армановна", "F")
    c.flat("KH", "K", score=0.05, area=70.0)  # K's own home, where his family lives
    for pid in ("K", "K1"):
        c.register(pid, "KH", day(4000), None, official="F3", consent="not_required")
    owners = ["K", "K", "K1", "K1", "K2"]
    for prop, owner in zip(RING, owners, strict=True):
        c.flat(prop, owner, score=6.0 + rng.random(), area=34.0)
    for b in range(10):
        start, flat = day(650 - 55 * b), RING[b % 5]
        for k in range(3):
            pid = c.person(f"KS{b}_{k}", f"Stranger{b}{k}", "Name")
            hops = [flat] + rng.sample([f for f in RING if f != flat], rng.choice([1, 2]))
            when = start
            for n, prop in enumerate(hops):
                until = when + dt.timedelta(days=rng.randint(30, 90)) \
                    if n < len(hops) - 1 else None
                c.register(pid, prop, when, until, official="F1" if rng.random() < 0.9
                           else "F2", consent="in_person")
                when = until if until else when


def build_tenant_city(ring: bool = True, flagged_chain: bool = True, seed: int = 3) -> City:
    """The city of the module docstring (the ring and the rentals' scores optional)."""
    rng = random.Random(seed)
    c = City()
    _office(c)
    _families(c, rng)
    _tenant_chain(c, rng, flagged_chain)
    if ring:
        _ring(c, rng)
    return c
