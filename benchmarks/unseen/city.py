"""The legitimate unseen city: flats split from real buildings, families, owners, offices.

Every building of flats is cut into its real number of dwellings with a spread of sizes around
living area / dwellings; families are drawn so that each building holds about its real
residents. Legitimate look-alikes (crowded families, landlords, new buildings, relatives
registered for a school, students studying away) are made here, fraud is laid on top later.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from unseen.people import PersonFactory
from unseen.scenario import Scenario

AS_OF = dt.date(2026, 11, 1)
CONSENT_FAMILY = ["in_person", "eds", "sms", "document"]
WHOLE = ("dormitory", "house", "hostel", "social_institution")  # one property per building


@dataclass
class City:
    """All rows of the extract being built, plus the truth per property."""

    rng: random.Random
    persons: PersonFactory
    sc: Scenario = field(default_factory=Scenario)
    properties: list[dict] = field(default_factory=list)
    registrations: list[dict] = field(default_factory=list)
    ownerships: list[dict] = field(default_factory=list)
    organizations: list[dict] = field(default_factory=list)
    offices: list[dict] = field(default_factory=list)
    officials: list[dict] = field(default_factory=list)
    relations: list[dict] = field(default_factory=list)
    service_events: list[dict] = field(default_factory=list)
    inspections: list[dict] = field(default_factory=list)
    fraud_kind: dict[str, str] = field(default_factory=dict)
    lookalike: dict[str, str] = field(default_factory=dict)
    fraud_owners: set[str] = field(default_factory=set)
    fraud_officials: set[str] = field(default_factory=set)
    rings: list[list[str]] = field(default_factory=list)
    fake: set[str] = field(default_factory=set)  # registrants who do not live there
    owned: dict[str, list[dict]] = field(default_factory=dict)  # property -> ownership rows
    home: dict[str, str] = field(default_factory=dict)  # person -> property lived in
    district_of: dict[str, str] = field(default_factory=dict)  # property -> district
    honest: dict[str, list[str]] = field(default_factory=dict)  # district -> official ids
    office_of: dict[str, str] = field(default_factory=dict)  # official -> office

    def day(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A uniform random date in [lo, hi]."""
        return lo + dt.timedelta(days=self.rng.randrange(max(1, (hi - lo).days + 1)))

    def register(self, person: str, prop: str, start: dt.date, kind: str = "permanent",
                 end: dt.date | None = None, consent: str | None = None,
                 official: str | None = None, hour: int | None = None) -> None:
        """One registration row (never before birth); honest processing unless an official
        is given."""
        rng = self.rng
        start = max(start, self.persons.birth(person))
        district = self.district_of[prop]
        if official is None:
            channel = rng.choices(["psc", "egov", "police"], [0.45, 0.4, 0.15])[0]
            if channel != "egov":
                official = rng.choice(self.honest[district])
        else:
            channel = "psc"
        hour = hour if hour is not None else rng.randint(9, 17)
        if consent is None and rng.random() < self.sc.slips:
            consent = "none"  # honest clerical slips happen too
        self.registrations.append({
            "registration_id": f"R{len(self.registrations) + 1:08d}", "person_id": person,
            "property_id": prop, "kind": kind, "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else None, "channel": channel,
            "office_id": self.office_of.get(official) if official else None,
            "official_id": official, "owner_consent": consent or rng.choice(CONSENT_FAMILY),
            "processed_at": f"{start.isoformat()}T{hour:02d}:{rng.randrange(60):02d}:00",
        })

    def own(self, prop: str, owner: str, start: dt.date, owner_type: str = "person",
            share: float = 1.0) -> None:
        row = {"property_id": prop, "owner_id": owner, "owner_type": owner_type,
               "share": share, "start_date": start.isoformat(), "end_date": None}
        self.ownerships.append(row)
        self.owned.setdefault(prop, []).append(row)

    def relate(self, person: str, relative: str, relation: str) -> None:
        self.relations.append({"person_id": person, "relative_id": relative,
                               "relation": relation})

    def services(self, person: str, district: str, prop: str | None, n: int,
                 kinds: tuple[str, ...] = ("clinic", "clinic", "transport", "benefit"),
                 since: dt.date | None = None, until: dt.date | None = None) -> None:
        """n service events in a district over the last two years (or since / until a
        date)."""
        lo = AS_OF - dt.timedelta(days=700)
        lo = max(lo, since) if since else lo
        hi = min(until, AS_OF - dt.timedelta(days=3)) if until else AS_OF - dt.timedelta(days=3)
        if until and hi < lo:
            return
        for _ in range(n):
            self.service_events.append({
                "person_id": person, "service": self.rng.choice(kinds), "district": district,
                "property_id": prop,
                "event_date": self.day(lo, hi).isoformat()})


def add_offices(city: City, districts: list[str]) -> None:
    """A public service centre and a migration police unit per district, honest officials."""
    for i, d in enumerate(sorted(districts)):
        for kind, n in (("psc", 5), ("migration_police", 3)):
            oid = f"OF{i:02d}{kind[0]}"
            city.offices.append({"office_id": oid, "name": f"{kind} {d}", "district": d,
                                 "kind": kind})
            for j in range(n):
                sid = f"{oid}-{j}"
                city.officials.append({"official_id": sid, "office_id": oid, "name": None})
                city.office_of[sid] = oid
                city.honest.setdefault(d, []).append(sid)


def split_flats(city: City, buildings: pd.DataFrame) -> dict[str, list[str]]:
    """Properties from buildings; returns building_id -> its property ids. Dormitories,
    hostels, nursing homes and houses stay whole; about one building in eight (historically)
    gets a ground-floor commercial unit."""
    rng = np.random.default_rng(city.rng.randrange(2**31))
    flats: dict[str, list[str]] = {}
    for b in buildings.itertuples(index=False):
        ids = []
        if b.kind in WHOLE:
            sizes = np.array([b.live_m2])
        else:
            sizes = rng.lognormal(0.0, city.sc.flat_sigma, b.apts)
            sizes = sizes / sizes.sum() * b.live_m2
            sizes = np.clip(sizes, 14, None)
        for j, area in enumerate(sizes):
            pid = f"{b.building_id}-{j + 1}"
            kind = {"block": "apartment"}.get(b.kind, b.kind)
            rooms = 1 if area < 38 else 2 if area < 58 else 3 if area < 85 else 4
            if kind in ("dormitory", "hostel", "social_institution"):
                rooms = max(1, int(area // 14))
            city.properties.append({
                "property_id": pid, "address": f"{b.address}, кв. {j + 1}", "district":
                b.district, "building_id": b.building_id, "kind": kind,
                "area_m2": round(float(area), 1), "rooms": rooms, "lat": None, "lon": None})
            city.district_of[pid] = b.district
            ids.append(pid)
        if b.kind == "block" and city.rng.random() < city.sc.commercial_units:
            pid = f"{b.building_id}-C"
            city.properties.append({
                "property_id": pid, "address": f"{b.address}, пом. 1", "district": b.district,
                "building_id": b.building_id, "kind": "commercial",
                "area_m2": round(city.rng.uniform(40, 300), 1), "rooms": None, "lat": None,
                "lon": None})
            city.district_of[pid] = b.district
        flats[b.building_id] = ids
    return flats
