"""A tiny hand-made city in DuckDB: a nominee ring, a landlord, a university dormitory,
ordinary flats, and officials of one office, built row by row so every figure is known."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from zonewatch.engine.duckdb_backend import DuckDBBackend
from zonewatch.indicators import (
    HIT_COLUMNS,
    load_indicators,
    load_settings,
    prepare,
    run_indicators,
)

AS_OF = dt.date(2026, 6, 1)

TABLES = {
    "persons": "person_id VARCHAR, iin VARCHAR, last_name VARCHAR, first_name VARCHAR, "
    "patronymic VARCHAR, birth_date DATE, sex VARCHAR, citizenship VARCHAR",
    "properties": "property_id VARCHAR, address VARCHAR, district VARCHAR, building_id VARCHAR, "
    "kind VARCHAR, area_m2 DOUBLE, rooms BIGINT, lat DOUBLE, lon DOUBLE",
    "ownerships": "property_id VARCHAR, owner_id VARCHAR, owner_type VARCHAR, share DOUBLE, "
    "start_date DATE, end_date DATE",
    "organizations": "org_id VARCHAR, bin VARCHAR, name VARCHAR, kind VARCHAR",
    "offices": "office_id VARCHAR, name VARCHAR, district VARCHAR, kind VARCHAR",
    "officials": "official_id VARCHAR, office_id VARCHAR, name VARCHAR",
    "registrations": "registration_id VARCHAR, person_id VARCHAR, property_id VARCHAR, "
    "kind VARCHAR, start_date DATE, end_date DATE, channel VARCHAR, office_id VARCHAR, "
    "official_id VARCHAR, owner_consent VARCHAR, processed_at TIMESTAMP",
    "property_scores": "property_id VARCHAR, score DOUBLE, rank BIGINT, registered BIGINT, "
    "area_m2 DOUBLE, indicators VARCHAR, explanation VARCHAR",
}


class City:
    """Rows of a tiny extract, added by small helpers, loaded into DuckDB by `connect`."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.scores: dict[str, float] = {}
        self.unfired: set[str] = set()  # scored (a tie-break) but no indicator fired
        self._reg = 0

    def person(self, pid: str, last: str, first: str, patronymic: str | None = None,
               sex: str = "M") -> str:
        self.rows["persons"].append({"person_id": pid, "last_name": last, "first_name": first,
                                     "patronymic": patronymic, "sex": sex, "citizenship": "KAZ"})
        return pid

    def flat(self, prop: str, owner: str | None, score: float = 0.0, area: float = 45.0,
             kind: str = "apartment", owner_type: str = "person",
             since: dt.date = dt.date(2015, 1, 1)) -> str:
        self.rows["properties"].append({"property_id": prop, "address": f"street {prop}",
                                        "district": "D1", "building_id": f"B{prop}",
                                        "kind": kind, "area_m2": area, "rooms": 2})
        if owner:
            self.rows["ownerships"].append({"property_id": prop, "owner_id": owner,
                                            "owner_type": owner_type, "share": 1.0,
                                            "start_date": since, "end_date": None})
        self.scores[prop] = score
        return prop

    def register(self, person: str, prop: str, start: dt.date, end: dt.date | None = None,
                 official: str | None = "F2", consent: str = "sms", hour: int = 11,
                 office: str = "O1") -> None:
        self._reg += 1
        office = None if official is None else office
        self.rows["registrations"].append({
            "registration_id": f"R{self._reg}", "person_id": person, "property_id": prop,
            "kind": "permanent", "start_date": start, "end_date": end, "channel": "psc",
            "office_id": office, "official_id": official, "owner_consent": consent,
            "processed_at": dt.datetime.combine(start, dt.time(hour, 0)),
        })

    def connect(self, drop: tuple[str, ...] = (), temporary: bool = True
                ) -> duckdb.DuckDBPyConnection:
        """The city in DuckDB with the network room's inputs built as the analysis builds
        them (`hand_over`); `temporary=False` keeps those in the database file too."""
        con = self.load(drop)
        hand_over(con, temporary)
        return con

    def load(self, drop: tuple[str, ...] = ()) -> duckdb.DuckDBPyConnection:
        """The city's tables only (property_scores included unless dropped)."""
        con = duckdb.connect()
        ranked = sorted(self.scores.items(), key=lambda kv: -kv[1])
        self.rows["property_scores"] = [
            {"property_id": p, "score": s, "rank": i + 1,
             "indicators": "test_flag" if s > 0 and p not in self.unfired else "",
             "explanation": ""}
            for i, (p, s) in enumerate(ranked)
        ]
        for name, ddl in TABLES.items():
            if name in drop:
                continue
            con.execute(f"CREATE TABLE {name} ({ddl})")
            if self.rows[name]:
                frame = pd.DataFrame(self.rows[name])
                cols = ", ".join(frame.columns)
                con.register("_rows", frame)
                con.execute(f"INSERT INTO {name} ({cols}) SELECT {cols} FROM _rows")
                con.unregister("_rows")
        return con


def hand_over(con: duckdb.DuckDBPyConnection, temporary: bool = True) -> None:
    """What the analysis hands the network room besides property_scores: the kinship tables
    of `prepare` and the owner/official/office indicators' hits, with default settings."""
    backend = DuckDBBackend(con=con, temporary=temporary)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    settings = load_settings()
    prepare(backend, tables, AS_OF, settings)
    entity = [i for i in load_indicators() if i.entity in ("owner", "official", "office")]
    run = run_indicators(backend, entity, tables, AS_OF, settings)
    con.register("_hits", run.hits[HIT_COLUMNS])
    con.execute("CREATE OR REPLACE TABLE indicator_hits AS SELECT * FROM _hits")
    con.unregister("_hits")


def day(n: int) -> dt.date:
    """A date n days before the as-of date."""
    return AS_OF - dt.timedelta(days=n)


def build_city(hijack_consent: str = "none") -> City:
    """The golden city described in the module docstring; `hijack_consent` is the consent
    recorded for the strangers F1 registered in the victim's flat HF."""
    c = City()
    c.rows["offices"].append({"office_id": "O1", "name": "PSC 1", "district": "D1", "kind": "psc"})
    for f in ("F1", "F2", "F3", "F4"):
        c.rows["officials"].append({"official_id": f, "office_id": "O1", "name": None})
    # The ring: controller Akhmetov Serik, his daughter and son own 6 small flats; 36 people
    # move among them, approved by F1 (late hours), the owners consenting in person.
    c.person("C", "Ахметов", "Серик", "Болатович")
    c.person("N1", "Ахметова", "Айгуль", "Сериковна", "F")
    c.person("N2", "Ахметов", "Ержан", "Серикович")
    ring = [c.flat(f"RF{i}", owner, score=9.0 + i / 10, area=32.0)
            for i, owner in enumerate(["C", "C", "N1", "N1", "N2", "N2"])]
    for i in range(36):
        pid = c.person(f"RP{i}", f"Person{i}", "Ivan")
        first, second = ring[i % 6], ring[(i + 1 + (i // 6) % 5) % 6]
        c.register(pid, first, day(600 - i), day(300 - i), official="F1", consent="in_person",
                   hour=21 if i % 2 else 10)
        c.register(pid, second, day(300 - i), None, official="F1", consent="in_person")
    # A hijacked flat: F1 registered 6 strangers in Vasiliev's family flat without his consent.
    c.person("V", "Васильев", "Олег", "Петрович")
    c.person("VW", "Васильева", "Анна", "Ивановна", "F")
    hijacked = c.flat("HF", "V", score=9.6, area=40.0)
    for pid in ("V", "VW"):
        c.register(pid, hijacked, day(3000), None, official="F3", consent="not_required")
    for i in range(6):
        pid = c.person(f"HS{i}", f"Stranger{i}", "Name")
        c.register(pid, hijacked, day(700 - 7 * i), None, official="F1", consent=hijack_consent)
    # A landlord with five rented flats: families staying for years.
    c.person("L", "Landlordov", "Boris")
    for i in range(5):
        prop = c.flat(f"LF{i}", "L", score=1.0 + i / 10, area=60.0)
        for j in range(3):
            pid = c.person(f"LT{i}_{j}", f"Tenant{i}", "Name", sex="MF"[j % 2])
            c.register(pid, prop, day(1500 - i), None, official="F3")
    # A university dormitory with 80 students, some moving on to ordinary flats.
    c.rows["organizations"].append({"org_id": "U", "bin": None, "name": "University",
                                    "kind": "university"})
    c.flat("DORM", "U", score=8.5, area=900.0, kind="dormitory", owner_type="organization")
    # Ordinary flats: one owner each, a small family, and a few single moves between them.
    for i in range(40):
        owner = c.person(f"OW{i}", f"Owner{i}", "Name")
        prop = c.flat(f"OF{i}", owner, score=(i % 10) / 10, area=55.0)
        c.register(owner, prop, day(2000), None, official="F2" if i % 2 else "F3")
        kid = c.person(f"OK{i}", f"Owner{i}", "Kid")
        c.register(kid, prop, day(1900), None, official="F3" if i % 2 else "F2")
    for i in range(80):
        pid = c.person(f"ST{i}", f"Student{i}", "Name")
        c.register(pid, "DORM", day(700), day(100) if i < 10 else None, official="F2")
        if i < 10:
            c.register(pid, f"OF{i}", day(100), None, official="F3")
    # F1 also approves some ordinary work; F4 approved only three registrations, two in the ring.
    for i in range(20):
        pid = c.person(f"NP{i}", f"Newcomer{i}", "Name")
        c.register(pid, f"OF{20 + i}", day(400 - i), None, official="F1")
    for i in range(3):
        pid = c.person(f"F4P{i}", f"Few{i}", "Name")
        c.register(pid, ring[i] if i < 2 else "OF30", day(50 + i), None, official="F4")
    return c
