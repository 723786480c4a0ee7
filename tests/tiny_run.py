"""A tiny hand-made analysis run directory, for tests of the service, register and pages.

It has the layout `zonewatch analyze --out` writes (docs/architecture.md): the ranked CSVs,
evidence.csv, run.json, ingest_report.json and a zonewatch.duckdb with contract tables.
Property P1 is a "rubber flat": 8 people in 30 m2, owned by person X1, approved by official F1.
"""

from __future__ import annotations

import csv
import json
import os
from datetime import date, timedelta
from pathlib import Path

import duckdb

from zonewatch.contract.run_files import columns

PROPERTIES = [  # id, district, building, kind, area, rooms, lat, lon
    ("P1", "D1", "B1", "apartment", 30.0, 1, 51.10, 71.40),
    ("P2", "D1", "B1", "apartment", 60.0, 2, 51.10, 71.40),
    ("P3", "D1", "B2", "apartment", 45.0, 2, 51.12, 71.45),
    ("P4", "D2", "B3", "house", 120.0, 4, 51.20, 71.50),
    ("P5", "D2", "B4", "apartment", 50.0, 2, 51.25, 71.55),
    ("P6", "D2", "B4", "dormitory", 400.0, 20, 51.25, 71.55),
]


def _write_csv(path: Path, header: list[str], rows: list[tuple]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)


def _persons(n: int) -> list[tuple]:
    return [
        (
            f"X{i}",
            f"9001013{i:04d}"[:12],
            f"Family{i}",
            f"Name{i}",
            None,
            date(1990, 1, 1) + timedelta(days=i),
            "M",
            "KAZ",
        )
        for i in range(1, n + 1)
    ]


def _registrations(as_of: date, extra_p1: int) -> list[tuple]:
    rows = []
    n = 0
    # P1: 8 (+extra) people, half registered in the last 90 days, approved by F1
    for i in range(8 + extra_p1):
        n += 1
        start = as_of - timedelta(days=30 + 40 * i)
        rows.append(
            (f"R{n}", f"X{2 + i}", "P1", "temporary", start, None, "psc", "OF1", "F1", "none")
        )
    for pid, people in (("P2", 2), ("P3", 1), ("P4", 4), ("P5", 2)):
        for _ in range(people):
            n += 1
            rows.append(
                (
                    f"R{n}",
                    f"X{20 + n}",
                    pid,
                    "permanent",
                    as_of - timedelta(days=900),
                    None,
                    "egov",
                    None,
                    None,
                    "eds",
                )
            )
    return rows


def make_tiny_run(
    out: Path, as_of: date = date(2026, 11, 1), extra_p1: int = 0, also_norm: tuple = ()
) -> Path:
    """Write the tiny run into `out` and return it.

    `extra_p1` adds people to P1; `also_norm` lists more property ids flagged by norm_area.
    """
    out.mkdir(parents=True, exist_ok=True)
    regs = _registrations(as_of, extra_p1)
    persons = _persons(20 + len(regs) + 5)
    registered = {p[0]: sum(1 for r in regs if r[2] == p[0]) for p in PROPERTIES}
    _write_csv(
        out / "properties_ranked.csv",
        columns("properties_ranked.csv"),
        [
            (
                1,
                "P1",
                9.5,
                registered["P1"],
                30.0,
                "norm_area;peer_density",
                f"{registered['P1']} people registered in 30 m2, norm 15 m2 per person",
            ),
            (2, "P3", 3.0, 1, 45.0, "peer_density", "denser than peers in D1"),
            (3, "P5", 2.0, 2, 50.0, "peer_density", "denser than peers in D2"),
            (4, "P2", 1.0, 2, 60.0, "", "no indicator fired"),
            (5, "P4", 0.5, 4, 120.0, "", "no indicator fired"),
            (6, "P6", 0.1, 0, 400.0, "", "no indicator fired"),
        ],
    )
    _write_csv(
        out / "owners_ranked.csv",
        columns("owners_ranked.csv"),
        [
            (1, "X1", 8.0, 1, "owner_many_registrants", "owns P1 with 8 registrants"),
            (2, "ORG1", 1.0, 0, "", "no indicator fired"),
        ],
    )
    _write_csv(
        out / "officials_ranked.csv",
        columns("officials_ranked.csv"),
        [
            (1, "F1", "OF1", 7.0, "official_concentration", "approved 8 at P1"),
            (2, "F2", "OF1", 0.2, "", "no indicator fired"),
        ],
    )
    _write_csv(
        out / "offices_ranked.csv",
        columns("offices_ranked.csv"),
        [(1, "OF1", 4.0, "office_share", "one official approves most")],
    )
    _write_csv(
        out / "networks.csv",
        columns("networks.csv"),
        [("N1", 6.0, "X1;P1;F1", "owner X1 and official F1 share property P1")],
    )
    _write_csv(
        out / "evidence.csv",
        columns("evidence.csv"),
        [
            (
                "property",
                "P1",
                "norm_area",
                registered["P1"],
                2,
                5.0,
                f"{registered['P1']} people registered in 30 m2, norm 15 m2 per person",
            ),
            ("property", "P1", "peer_density", 0.27, 0.05, 4.5, "P1 is denser than peers"),
            ("property", "P3", "peer_density", 0.06, 0.05, 3.0, "P3 is denser than peers"),
            ("property", "P5", "peer_density", 0.06, 0.05, 2.0, "P5 is denser than peers"),
            ("owner", "X1", "owner_many_registrants", 8, 5, 8.0, "owns P1 with 8"),
            ("official", "F1", "official_concentration", 8, 5, 7.0, "approved 8 at P1"),
            *[("property", p, "norm_area", 3, 2, 1.0, f"{p} above the norm") for p in also_norm],
        ],
    )
    (out / "run.json").write_text(
        json.dumps(
            {
                "as_of": as_of.isoformat(),
                "indicators_run": [
                    "norm_area",
                    "peer_density",
                    "owner_many_registrants",
                    "official_concentration",
                ],
            }
        )
    )
    (out / "ingest_report.json").write_text(json.dumps({"tables": {}}))
    _write_duckdb(out / "zonewatch.duckdb", as_of, persons, regs)
    return out


def _write_duckdb(final: Path, as_of: date, persons: list[tuple], regs: list[tuple]) -> None:
    """Write a temp file and move it into place, as ingest does (a reader keeps the old one)."""
    path = final.with_name(f".{final.name}.tmp")
    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(
            "CREATE TABLE properties (property_id VARCHAR, address VARCHAR, "
            "district VARCHAR, building_id VARCHAR, kind VARCHAR, area_m2 DOUBLE, "
            "rooms BIGINT, lat DOUBLE, lon DOUBLE)"
        )
        con.executemany(
            "INSERT INTO properties VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(p[0], f"Street {p[0]}", *p[1:]) for p in PROPERTIES],
        )
        con.execute(
            "CREATE TABLE persons (person_id VARCHAR, iin VARCHAR, last_name VARCHAR, "
            "first_name VARCHAR, patronymic VARCHAR, birth_date DATE, sex VARCHAR, "
            "citizenship VARCHAR)"
        )
        con.executemany("INSERT INTO persons VALUES (?, ?, ?, ?, ?, ?, ?, ?)", persons)
        con.execute(
            "CREATE TABLE registrations (registration_id VARCHAR, person_id VARCHAR, "
            "property_id VARCHAR, kind VARCHAR, start_date DATE, end_date DATE, "
            "channel VARCHAR, office_id VARCHAR, official_id VARCHAR, "
            "owner_consent VARCHAR)"
        )
        con.executemany("INSERT INTO registrations VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", regs)
        con.execute(
            "CREATE TABLE ownerships (property_id VARCHAR, owner_id VARCHAR, "
            "owner_type VARCHAR, share DOUBLE, start_date DATE, end_date DATE)"
        )
        con.executemany(
            "INSERT INTO ownerships VALUES (?, ?, ?, ?, ?, ?)",
            [
                ("P1", "X1", "person", 1.0, date(2015, 1, 1), None),
                ("P2", "ORG1", "organization", 1.0, date(2016, 1, 1), None),
            ],
        )
        con.execute(
            "CREATE TABLE organizations (org_id VARCHAR, bin VARCHAR, name VARCHAR, kind VARCHAR)"
        )
        con.execute("INSERT INTO organizations VALUES ('ORG1', NULL, 'Stroy LLP', 'company')")
        con.execute("CREATE TABLE officials (official_id VARCHAR, office_id VARCHAR, name VARCHAR)")
        con.execute(
            "INSERT INTO officials VALUES ('F1', 'OF1', 'Official One'), "
            "('F2', 'OF1', 'Official Two')"
        )
        con.execute("CREATE TABLE extract_meta (key VARCHAR, value VARCHAR)")
        con.execute(
            "INSERT INTO extract_meta VALUES ('as_of', ?), ('source', 'tiny')", [as_of.isoformat()]
        )
    finally:
        con.close()
    os.replace(path, final)
