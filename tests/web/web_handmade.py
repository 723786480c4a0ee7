"""A tiny hand-made analysis run directory for the web tests.

It follows docs/architecture.md (ranked CSVs, evidence, networks, run.json and the ingested
DuckDB) so the pages can be developed and tested before `zonewatch analyze` exists, and on
machines where the generator is slow. Scores here are a plain crowding ratio: the web room
only displays them, it never judges them.
"""

from __future__ import annotations

import csv
import json
import random
from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb

AS_OF = date(2026, 11, 1)
DISTRICTS = {"ALM": (51.16, 71.45), "ESL": (51.10, 71.42), "SAR": (51.18, 71.38)}
KINDS = ["apartment", "apartment", "apartment", "house", "dormitory"]
CITIZENSHIPS = ["KAZ"] * 6 + ["UZB", "KGZ", "TJK", "RUS"]


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)


def build_run(out: Path, n_properties: int = 60, seed: int = 7) -> Path:
    """Write a small run directory to `out` and return it."""
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    offices = [("OF1", "PSC Almaty district", "ALM", "psc"), ("OF2", "PSC Esil", "ESL", "psc"),
               ("OF3", "Migration police Saryarka", "SAR", "migration_police")]
    officials = [(f"U{i}", offices[i % 3][0], f"Official {i}") for i in range(1, 10)]
    properties, ownerships, persons, registrations, relations = [], [], [], [], []
    owners = [f"OWN{i}" for i in range(1, 16)]
    for i in range(1, n_properties + 1):
        district = list(DISTRICTS)[i % 3]
        lat0, lon0 = DISTRICTS[district]
        kind = KINDS[i % len(KINDS)]
        area = round(rng.uniform(28, 95), 1)
        properties.append([f"P{i:03d}", f"{district} street {i}, flat {i % 40 + 1}", district,
                           f"B{i // 4}", kind, area, rng.randint(1, 4),
                           round(lat0 + rng.uniform(-0.03, 0.03), 5),
                           round(lon0 + rng.uniform(-0.04, 0.04), 5)])
        owner = owners[(i * 7) % len(owners)] if i % 5 else owners[0]
        ownerships.append([f"P{i:03d}", owner, "person", 1.0, "2015-03-01", None])
    for owner in owners:
        persons.append([owner, None, f"Owner{owner[3:]}", "Aidos", None, "1970-01-01", "M", "KAZ"])
    pid = 0
    for i, prop in enumerate(properties, start=1):
        crowd = 25 if i % 9 == 0 else rng.randint(1, 5)
        for _ in range(crowd):
            pid += 1
            person = f"PR{pid:05d}"
            persons.append([person, None, f"Surname{pid}", "Name", None, "1990-05-05",
                            rng.choice("MF"), rng.choice(CITIZENSHIPS)])
            start = AS_OF - timedelta(days=rng.randint(10, 900))
            ended = rng.random() < 0.2
            end = start + timedelta(days=rng.randint(5, 200)) if ended else None
            official = officials[rng.randrange(len(officials))]
            registrations.append([f"R{pid:05d}", person, prop[0],
                                  rng.choice(["permanent", "temporary"]),
                                  start.isoformat(), end.isoformat() if end else None, "psc",
                                  official[1], official[0], rng.choice(["sms", "none", "eds"]),
                                  datetime.combine(start, datetime.min.time()).isoformat()])
            if rng.random() < 0.15:
                owner = next(o[1] for o in ownerships if o[0] == prop[0])
                relations.append([person, owner, "child"])
    inspections = [["I1", "P009", "2026-06-01", "violation", 2, 20, True, "20 people absent"],
                   ["I2", "P010", "2026-06-02", "no_violation", 3, 0, False, None]]
    _write_db(out / "zonewatch.duckdb", properties, persons, registrations, ownerships,
              offices, officials, relations, inspections)
    _write_outputs(out, properties, registrations, ownerships, officials)
    return out


def _write_db(path: Path, properties, persons, registrations, ownerships, offices, officials,
              relations, inspections) -> None:
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE properties (property_id VARCHAR, address VARCHAR, district VARCHAR,"
                " building_id VARCHAR, kind VARCHAR, area_m2 DOUBLE, rooms BIGINT, lat DOUBLE,"
                " lon DOUBLE)")
    con.executemany("INSERT INTO properties VALUES (?,?,?,?,?,?,?,?,?)", properties)
    con.execute("CREATE TABLE persons (person_id VARCHAR, iin VARCHAR, last_name VARCHAR,"
                " first_name VARCHAR, patronymic VARCHAR, birth_date DATE, sex VARCHAR,"
                " citizenship VARCHAR)")
    con.executemany("INSERT INTO persons VALUES (?,?,?,?,?,?,?,?)", persons)
    con.execute("CREATE TABLE registrations (registration_id VARCHAR, person_id VARCHAR,"
                " property_id VARCHAR, kind VARCHAR, start_date DATE, end_date DATE,"
                " channel VARCHAR, office_id VARCHAR, official_id VARCHAR,"
                " owner_consent VARCHAR, processed_at TIMESTAMP)")
    con.executemany("INSERT INTO registrations VALUES (?,?,?,?,?,?,?,?,?,?,?)", registrations)
    con.execute("CREATE TABLE ownerships (property_id VARCHAR, owner_id VARCHAR,"
                " owner_type VARCHAR, share DOUBLE, start_date DATE, end_date DATE)")
    con.executemany("INSERT INTO ownerships VALUES (?,?,?,?,?,?)", ownerships)
    con.execute("CREATE TABLE offices (office_id VARCHAR, name VARCHAR, district VARCHAR,"
                " kind VARCHAR)")
    con.executemany("INSERT INTO offices VALUES (?,?,?,?)", offices)
    con.execute("CREATE TABLE officials (official_id VARCHAR, office_id VARCHAR, name VARCHAR)")
    con.executemany("INSERT INTO officials VALUES (?,?,?)", officials)
    con.execute("CREATE TABLE relations (person_id VARCHAR, relative_id VARCHAR,"
                " relation VARCHAR)")
    con.executemany("INSERT INTO relations VALUES (?,?,?)", relations)
    con.execute("CREATE TABLE inspections (inspection_id VARCHAR, property_id VARCHAR,"
                " inspected_on DATE, outcome VARCHAR, persons_found BIGINT,"
                " fictitious_count BIGINT, brokering BOOLEAN, notes VARCHAR)")
    con.executemany("INSERT INTO inspections VALUES (?,?,?,?,?,?,?,?)", inspections)
    con.execute("CREATE TABLE extract_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO extract_meta VALUES ('as_of', ?), ('source', 'handmade')",
                [AS_OF.isoformat()])
    con.close()


def _registered(registrations, property_id: str) -> int:
    iso = AS_OF.isoformat()
    return sum(1 for r in registrations if r[2] == property_id and r[4] <= iso
               and (r[5] is None or r[5] > iso))


def _write_outputs(out: Path, properties, registrations, ownerships, officials) -> None:
    scored, evidence = [], []
    for prop in properties:
        count = _registered(registrations, prop[0])
        per_person = prop[5] / max(count, 1)
        score = round(count * 15 / prop[5], 3)
        fired = []
        if per_person < 15:
            fired.append("overcrowding")
            evidence.append(["property", prop[0], "overcrowding", round(per_person, 1), 15, score,
                             f"{count} people registered in {prop[5]} m2, "
                             f"{per_person:.1f} m2 per person against a norm of 15 m2"])
        if count >= 10:
            fired.append("mass_registration")
            evidence.append(["property", prop[0], "mass_registration", count, 10, score,
                             f"{count} people registered on {AS_OF.isoformat()}"])
        expl = "; ".join(e[6] for e in evidence if e[1] == prop[0]) or "No indicator fired"
        scored.append([prop[0], score, count, prop[5], ";".join(fired), expl])
    scored.sort(key=lambda r: -r[1])
    _write_csv(out / "properties_ranked.csv",
               ["rank", "property_id", "score", "registered", "area_m2", "indicators",
                "explanation"], [[i, *r] for i, r in enumerate(scored, start=1)])
    by_owner: dict[str, list] = {}
    score_of = {r[0]: r[1] for r in scored}
    for own in ownerships:
        by_owner.setdefault(own[1], []).append(own[0])
    owners = sorted(((o, round(sum(score_of[p] for p in ps), 3), ps) for o, ps in
                     by_owner.items()), key=lambda r: -r[1])
    _write_csv(out / "owners_ranked.csv",
               ["rank", "owner_id", "score", "properties", "indicators", "explanation"],
               [[i, o, s, len(ps), "many_properties" if len(ps) > 4 else "",
                 f"Owns {len(ps)} properties"] for i, (o, s, ps) in enumerate(owners, start=1)])
    counts = {o[0]: sum(1 for r in registrations if r[8] == o[0]) for o in officials}
    ranked = sorted(officials, key=lambda o: -counts[o[0]])
    _write_csv(out / "officials_ranked.csv",
               ["rank", "official_id", "office_id", "score", "indicators", "explanation"],
               [[i, o[0], o[1], counts[o[0]] / 10, "approval_volume",
                 f"Approved {counts[o[0]]} registrations"] for i, o in enumerate(ranked, 1)])
    _write_csv(out / "offices_ranked.csv",
               ["rank", "office_id", "score", "indicators", "explanation"],
               [[1, "OF1", 2.0, "office_share", "Office approved most flagged registrations"],
                [2, "OF2", 1.0, "", "No indicator fired"],
                [3, "OF3", 0.5, "", "No indicator fired"]])
    top_owner = owners[0]
    _write_csv(out / "networks.csv", ["network_id", "score", "members", "explanation"],
               [["N1", 9.5, ";".join([top_owner[0], *top_owner[2][:6], "U1", "U2"]),
                 f"Owner {top_owner[0]} with {len(top_owner[2])} properties approved by 2 "
                 "officials"],
                ["N2", 3.1, ";".join([owners[1][0], *owners[1][2][:3], "U3"]),
                 "A smaller cluster"]])
    _write_csv(out / "evidence.csv",
               ["entity_type", "entity_id", "indicator_id", "value", "threshold", "score",
                "evidence"], evidence)
    (out / "run.json").write_text(json.dumps({
        "as_of": AS_OF.isoformat(),
        "indicators_run": ["overcrowding", "mass_registration"],
        "indicators_skipped": [{"id": "service_mismatch", "why": "no service_events table"}],
        "weights": {"overcrowding": 1.0, "mass_registration": 1.0},
        "timings": {"total_s": 0.1},
    }, indent=2), encoding="utf-8")
    (out / "ingest_report.json").write_text(json.dumps({"tables": {}}), encoding="utf-8")
