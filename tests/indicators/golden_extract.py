"""A tiny hand-made city with one planted case per indicator and its look-alikes.

Each planted property is named for what it is; tests assert which indicators flag which ids.
The extract is written as CSV files in the contract's format and ingested for real.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb

from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, load_settings, prepare, run_indicators
from zonewatch.ingest import ingest_extract

AS_OF = dt.date(2026, 11, 27)

COLUMNS = {
    "properties": ["property_id", "address", "district", "building_id", "kind", "area_m2",
                   "rooms", "lat", "lon"],
    "persons": ["person_id", "iin", "last_name", "first_name", "patronymic", "birth_date",
                "sex", "citizenship"],
    "organizations": ["org_id", "bin", "name", "kind"],
    "ownerships": ["property_id", "owner_id", "owner_type", "share", "start_date", "end_date"],
    "offices": ["office_id", "name", "district", "kind"],
    "officials": ["official_id", "office_id", "name"],
    "registrations": ["registration_id", "person_id", "property_id", "kind", "start_date",
                      "end_date", "channel", "office_id", "official_id", "owner_consent",
                      "processed_at"],
    "relations": ["person_id", "relative_id", "relation"],
    "service_events": ["person_id", "service", "district", "property_id", "event_date"],
    "inspections": ["inspection_id", "property_id", "inspected_on", "outcome", "persons_found",
                    "fictitious_count", "brokering", "notes"],
}

STRANGER_NAMES = [
    ("Ахметов", "Ерлан", "Болатович"), ("Смирнова", "Ольга", "Петровна"),
    ("Ким", "Виктор", "Сергеевич"), ("Нурпеисова", "Айгуль", "Маратовна"),
    ("Жумабаев", "Данияр", "Асланович"), ("Ivanova", "Maria", None),
    ("Сапаров", "Тимур", "Канатович"), ("Омарова", "Динара", "Ериковна"),
    ("Ли", "Андрей", "Вадимович"), ("Бекова", "Асель", "Муратовна"),
    ("Toktarov", "Arman", None), ("Кузнецов", "Илья", "Олегович"),
    ("Есенова", "Сауле", "Нурлановна"), ("Абдиев", "Рустам", "Ильясович"),
]
FAMILY_SURNAMES = ["Касымов", "Петров", "Алиев", "Оспанов", "Волков", "Исаев", "Мухамедов",
                   "Соколов", "Байжанов", "Орлов", "Садыков", "Егоров", "Тулегенов", "Лебедев",
                   "Рахимов", "Козлов", "Жаксылыков", "Морозов", "Ибраев", "Павлов", "Сулейменов"]


class City:
    """Accumulates rows per table and writes them as an extract."""

    def __init__(self) -> None:
        self.rows: dict[str, list[dict]] = {name: [] for name in COLUMNS}
        self._n = 0
        self.rows["offices"].append(
            {"office_id": "OFF1", "name": "PSC 1", "district": "D1", "kind": "psc"})
        self.rows["officials"].append({"official_id": "OF1", "office_id": "OFF1", "name": "A"})
        self.rows["organizations"].append(
            {"org_id": "ORG1", "bin": "", "name": "Trade LLP", "kind": "company"})

    def _id(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n:04d}"

    def prop(self, pid: str, area: float | None, kind: str = "apartment", district: str = "D1",
             building: str | None = None, rooms: int | None = 2) -> str:
        self.rows["properties"].append({
            "property_id": pid, "address": f"Street {pid}", "district": district,
            "building_id": building or f"B-{pid}", "kind": kind, "area_m2": area,
            "rooms": rooms, "lat": 51.1, "lon": 71.4})
        return pid

    def person(self, last: str, first: str, patr: str | None = None, born: str = "1990-05-01",
               sex: str = "M", citizenship: str = "KAZ") -> str:
        pid = self._id("P")
        self.rows["persons"].append({
            "person_id": pid, "iin": "", "last_name": last, "first_name": first,
            "patronymic": patr or "", "birth_date": born, "sex": sex,
            "citizenship": citizenship})
        return pid

    def own(self, prop: str, owner: str, owner_type: str = "person",
            start: str = "2015-01-01") -> None:
        self.rows["ownerships"].append({
            "property_id": prop, "owner_id": owner, "owner_type": owner_type, "share": 1,
            "start_date": start, "end_date": ""})

    def reg(self, person: str, prop: str, start: str, end: str = "", kind: str = "permanent",
            consent: str = "sms") -> None:
        self.rows["registrations"].append({
            "registration_id": self._id("R"), "person_id": person, "property_id": prop,
            "kind": kind, "start_date": start, "end_date": end, "channel": "psc",
            "office_id": "OFF1", "official_id": "OF1", "owner_consent": consent,
            "processed_at": f"{start}T10:00:00"})

    def relate(self, a: str, b: str, relation: str) -> None:
        self.rows["relations"].append({"person_id": a, "relative_id": b, "relation": relation})

    def family(self, prop: str, surname: str, size: int, start: str = "2016-03-01",
               declare: bool = False, owns: bool = True) -> list[str]:
        """A father (the owner unless `owns` is False), wife (female surname form), children
        with his patronymic."""
        female = surname + "а" if surname.endswith(("ов", "ев", "ин")) else surname
        father = self.person(surname, "Нурлан", "Ерикович", born="1975-01-10")
        members = [father]
        if size > 1:
            members.append(self.person(female, "Айжан", "Маратовна", born="1978-02-02", sex="F"))
        for i in range(size - 2):
            members.append(self.person(surname if i % 2 == 0 else female, f"Ребенок{i}",
                                       "Нурланович" if i % 2 == 0 else "Нурлановна",
                                       born=f"{2000 + i}-06-01", sex="M" if i % 2 == 0 else "F"))
        if owns:
            self.own(prop, father)
        for m in members:
            self.reg(m, prop, start, consent="not_required")
        if declare:
            for m in members[1:]:
                self.relate(father, m, "spouse" if m == members[1] else "child")
        return members

    def strangers(self, prop: str, count: int, start: str, consent: str = "sms",
                  citizenship: str = "KAZ", end: str = "") -> list[str]:
        out = []
        for i in range(count):
            last, first, patr = STRANGER_NAMES[i % len(STRANGER_NAMES)]
            p = self.person(last + ("" if i < len(STRANGER_NAMES) else "ев"), first, patr,
                            citizenship=citizenship)
            self.reg(p, prop, start, end=end, consent=consent)
            out.append(p)
        return out

    def write(self, directory: Path, skip: tuple[str, ...] = ()) -> Path:
        directory.mkdir(parents=True, exist_ok=True)
        for name, cols in COLUMNS.items():
            if name in skip:
                continue
            with (directory / f"{name}.csv").open("w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=cols)
                writer.writeheader()
                for row in self.rows[name]:
                    writer.writerow({k: ("" if v is None else v) for k, v in row.items()})
        return directory


def golden_city() -> City:
    """The golden city: normal peers, planted cases and their look-alikes."""
    c = City()
    for i in range(14):  # ordinary family flats, the peers
        c.family(c.prop(f"NORMAL{i:02d}", 55 + 3 * i), FAMILY_SURNAMES[i], 2 + i % 3)
    rubber = c.prop("RUBBER", 38)
    c.own(rubber, c.person("Дауренов", "Марат", "Сакенович"))
    c.strangers(rubber, 12, "2026-09-10", consent="none")
    dorm = c.prop("DORM", 900, kind="dormitory", rooms=120)
    c.own(dorm, "ORG1", "organization")
    c.strangers(dorm, 14, "2026-09-01")
    big = c.prop("BIGFAMILY", 62, rooms=3)
    c.family(big, "Байтурсынов", 9, start="2019-05-05", declare=True)
    for f in range(8):  # a new building filling all its flats at once, one family per flat
        flat = c.prop(f"NEWB{f}", 70, building="NEWBUILDING")
        c.family(flat, FAMILY_SURNAMES[(f + 7) % len(FAMILY_SURNAMES)], 3,
                 start=f"2026-09-0{1 + f % 3}")
    landlord = c.person("Рысбеков", "Кайрат", "Ермекович")
    for f in range(3):  # a landlord with normal rented flats: two tenants each
        flat = c.prop(f"RENTED{f}", 52)
        c.own(flat, landlord)
        for t in range(2):
            last, first, patr = STRANGER_NAMES[(3 * f + t) % len(STRANGER_NAMES)]
            c.reg(c.person(last, first, patr), flat, "2026-03-01", kind="temporary",
                  end="2027-03-01")
    turn = c.prop("TURNOVER", 45)
    c.own(turn, c.person("Шакенов", "Берик", "Тлеуович"))
    for month in range(12):
        start = dt.date(2025, 12, 5) + dt.timedelta(days=30 * month)
        p = c.person(*STRANGER_NAMES[month % len(STRANGER_NAMES)])
        end = start + dt.timedelta(days=25)
        c.reg(p, turn, start.isoformat(), end=end.isoformat() if end < AS_OF else "")
    moved = c.prop("MOVEDOUT", 40)  # one large family moved out together: one household
    for p in c.family(moved, "Токаев", 7, start="2015-05-05"):
        row = next(r for r in c.rows["registrations"] if r["person_id"] == p)
        row["end_date"] = "2026-09-15"
    shop = c.prop("COMMERCIAL", 120, kind="commercial")
    c.own(shop, "ORG1", "organization")
    c.strangers(shop, 5, "2024-02-01")
    foreign = c.prop("FOREIGN", 95, rooms=3)
    c.own(foreign, c.person("Абенов", "Серик", "Аманович"))
    c.strangers(foreign, 6, "2025-04-01", citizenship="UZB")
    away = c.prop("SERVICES", 70)  # a family registered at a stranger's flat, living elsewhere
    c.own(away, c.person("Жанибеков", "Арман", "Бекович"))
    fam = c.family(away, "Сейтов", 4, start="2020-01-01", owns=False)
    own_away = c.prop("OWNERAWAY", 66)  # an owner's family registered at home, living elsewhere
    fam += c.family(own_away, "Мусин", 3, start="2012-01-01")
    for p in fam:
        for month in (3, 6, 9):
            c.rows["service_events"].append({"person_id": p, "service": "clinic",
                                             "district": "D2", "property_id": "",
                                             "event_date": f"2026-0{month}-15"})
    for i in range(4):  # the normal flats' families use services at home
        pid = c.rows["registrations"][i]["person_id"]
        c.rows["service_events"].append({"person_id": pid, "service": "clinic",
                                         "district": "D1", "property_id": "",
                                         "event_date": "2026-05-05"})
    for i in range(2):  # a small district: too few peers, compared with the whole extract
        c.family(c.prop(f"SMALLD{i}", 60, district="D2"), FAMILY_SURNAMES[15 + i], 3)
    c.strangers(c.prop("SMALLDCROWDED", 40, district="D2"), 9, "2025-06-01")
    double = c.rows["registrations"][0]["person_id"]  # NORMAL00's owner, also in RUBBER
    c.reg(double, rubber, "2026-10-01", consent="sms")
    _later_cases(c)
    return c


def _couple(c: City, prop: str, surname: str, first: str, start: str) -> None:
    """A stranger household of a husband and wife (female surname form), no declared tie."""
    husband = c.person(surname, first, "Серикович", born="1988-04-04")
    wife = c.person(surname + "а", "Гульнара", "Асановна", born="1990-07-07", sex="F")
    for p in (husband, wife):
        c.reg(p, prop, start)


def _later_cases(c: City) -> None:
    """Cases from the unseen-city diagnosis: small rubber flats with stranger families,
    newborns, caretakers, a lone spouse using services elsewhere, a conveyor in a big flat."""
    small = c.prop("SMALLRUBBER", 39)  # owner's family + 2 stranger couples, before the norm
    c.family(small, "Кенжебаев", 3, start="2014-02-02")
    _couple(c, small, "Арыстанов", "Ержан", "2025-11-01")
    _couple(c, small, "Мамыров", "Нурбол", "2026-02-01")
    kin = c.prop("MARRIEDDAUGHTER", 39)  # owner's family + married daughter's family + lodger
    c.family(kin, "Абилов", 2, start="2014-02-02")
    daughter = c.person("Тлеуова", "Дана", "Нурлановна", born="1998-05-05", sex="F")
    husband = c.person("Тлеуов", "Асхат", "Маратович", born="1996-01-01")
    for p in (daughter, husband):
        c.reg(p, kin, "2024-02-02")
    c.strangers(kin, 1, "2025-10-10")
    lodger = c.prop("LODGER", 40)  # owner's family + one lodger: one stranger household
    c.family(lodger, "Шарипов", 3, start="2014-02-02")
    _couple(c, lodger, "Галиев", "Азамат", "2025-11-01")
    newborn = c.prop("NEWBORN", 60)  # a tenant family of 6 whose only new registrant is a baby
    c.own(newborn, c.person("Уалиев", "Бауыржан", "Саматович"))
    c.family(newborn, "Досанов", 6, start="2024-03-03", owns=False)
    baby = c.person("Досанов", "Малыш", "Нурланович", born="2026-09-20")
    c.reg(baby, newborn, "2026-09-20", consent="not_required")
    guard = c.prop("CARETAKER", 300, kind="commercial")  # one long-standing guard
    c.own(guard, "ORG1", "organization")
    c.strangers(guard, 1, "2018-04-01")
    fresh = c.prop("COMMERCIALNEW", 200, kind="commercial")  # one recent arrival
    c.own(fresh, "ORG1", "organization")
    c.strangers(fresh, 1, "2026-06-01")
    spouse = c.prop("SPOUSEAWAY", 64)  # a spouse under her own surname uses services elsewhere
    c.family(spouse, "Бекмуханов", 3, start="2015-01-01")
    wife = c.person("Сарсенова", "Алия", "Бековна", born="1980-03-03", sex="F")
    c.reg(wife, spouse, "2017-05-01", consent="not_required")  # married two years later
    for month in (3, 6, 9):
        c.rows["service_events"].append({"person_id": wife, "service": "clinic",
                                         "district": "D2", "property_id": "",
                                         "event_date": f"2026-0{month}-15"})
    seen = {}
    for name, surname in (("AWAYFAMILY", "Омаров"), ("HOMEFAMILY", "Сериков")):
        flat = c.prop(name, 58)  # a tenant family: only the mother is seen at a clinic
        c.own(flat, c.person("Тасмаганбетов", "Ильяс", "Нурович"))
        seen[name] = c.family(flat, surname, 3, start="2021-01-01", owns=False)
    for name, districts in (("AWAYFAMILY", ("D2", "")), ("HOMEFAMILY", ("D2", "D1"))):
        for person, district in zip(seen[name][1:], districts, strict=True):
            if not district:  # this child is seen nowhere
                continue
            c.rows["service_events"].append({"person_id": person, "service": "clinic",
                                             "district": district, "property_id": "",
                                             "event_date": "2026-04-04"})
    conveyor = c.prop("CONVEYOR", 150, rooms=5)  # 9 short stays a year in a big flat
    c.family(conveyor, "Нуртазин", 2, start="2010-01-01")
    for i in range(9):
        start = dt.date(2025, 12, 20) + dt.timedelta(days=38 * i)
        stay = c.person(*STRANGER_NAMES[i % len(STRANGER_NAMES)])
        c.reg(stay, conveyor, start.isoformat(),
              end=(start + dt.timedelta(days=30)).isoformat(), kind="temporary")
    workers = c.prop("WORKERS", 36)  # five workers renting one flat, seen at the local clinic
    c.own(workers, c.person("Ермеков", "Асан", "Бекович"))
    for p in c.strangers(workers, 5, "2026-03-01", citizenship="UZB"):
        for service, day in (("clinic", "2026-06-06"), ("transport", "2026-07-07")):
            c.rows["service_events"].append({"person_id": p, "service": service,
                                             "district": "D1", "property_id": "",
                                             "event_date": day})
    twice = c.prop("TWOSTAYS", 150, rooms=5)  # a big flat let twice for a short summer
    c.family(twice, "Жаксыбеков", 2, start="2010-01-01")
    for i, start in enumerate(("2026-06-01", "2026-08-10")):
        stay = c.person(*STRANGER_NAMES[i])
        end = (dt.date.fromisoformat(start) + dt.timedelta(days=40)).isoformat()
        c.reg(stay, twice, start, end=end, kind="temporary")


def evaluate(extract: Path, db: Path, settings: dict | None = None):
    """Ingest `extract` into `db` and run every property indicator; returns (run, con)."""
    ingest_extract(extract, db, AS_OF)
    con = duckdb.connect(str(db))
    backend = DuckDBBackend(con=con)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    settings = settings or load_settings()
    prepare(backend, tables, AS_OF, settings)
    props = [i for i in load_indicators() if i.entity == "property" and i.stage == "main"]
    return run_indicators(backend, props, tables, AS_OF, settings), con


# what each indicator must flag, and the look-alikes it must leave alone
EXPECTED = {
    "norm_area": ({"RUBBER"}, {"DORM", "BIGFAMILY", "COMMERCIAL", "RENTED0", "FOREIGN",
                               "NEWB0", "NEWBORN"}),
    "stranger_households": ({"SMALLRUBBER"},
                            {"LODGER", "MARRIEDDAUGHTER", "NEWBORN", "RENTED0", "BIGFAMILY",
                             "NORMAL00", "DORM", "COMMERCIAL", "SERVICES"}),
    "unrelated_registrants": ({"RUBBER", "FOREIGN", "COMMERCIAL"},
                              {"DORM", "BIGFAMILY", "RENTED0", "RENTED1", "NEWB3"}),
    "turnover": ({"TURNOVER", "CONVEYOR"}, {"DORM", "RENTED0", "NEWB1", "BIGFAMILY", "MOVEDOUT",
                                            "TWOSTAYS"}),
    "registration_burst": ({"RUBBER"}, {"DORM", "NEWB0", "NEWB1", "NEWB2", "BIGFAMILY"}),
    "foreign_concentration": ({"FOREIGN"}, {"RUBBER", "DORM"}),
    "commercial_registrations": ({"COMMERCIAL", "COMMERCIALNEW"},
                                 {"DORM", "RUBBER", "CARETAKER"}),
    "no_consent": ({"RUBBER"}, {"DORM", "NORMAL01", "BIGFAMILY"}),
    "services_elsewhere": ({"SERVICES", "AWAYFAMILY"},
                           {"NORMAL00", "NORMAL01", "OWNERAWAY", "SPOUSEAWAY", "HOMEFAMILY"}),
    "double_permanent": ({"RUBBER", "NORMAL00"}, {"NORMAL01", "DORM"}),
    "peer_density": ({"RUBBER", "SMALLDCROWDED"}, {"DORM", "RENTED0", "NORMAL05", "SMALLD0"}),
    "seen_living_here": ({"WORKERS"}, {"SERVICES", "AWAYFAMILY", "RUBBER", "NORMAL00",
                                       "OWNERAWAY", "HOMEFAMILY"}),
}
