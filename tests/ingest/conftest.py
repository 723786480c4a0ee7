"""Tiny hand-made extracts for ingest tests: dict rows written to CSV by a helper."""

from __future__ import annotations

import copy
import csv
from collections.abc import Callable
from pathlib import Path

import pytest

# 900515300018: born 1990-05-15, digit 7 = 3 (1900s, male); check = (9*1 + 0*2 + 0*3 + 5*4
# + 1*5 + 5*6 + 3*7 + 0*8 + 0*9 + 0*10 + 1*11) % 11 = 96 % 11 = 8.
IIN_MALE_1990 = "900515300018"

BASE: dict[str, list[dict[str, str]]] = {
    "offices": [
        {"office_id": "O1", "name": "PSC Almaty district", "district": "D1", "kind": "psc"},
        {"office_id": "O2", "name": "eGov", "district": "", "kind": "egov"},
    ],
    "officials": [{"official_id": "F1", "office_id": "O1", "name": "Official A"}],
    "persons": [
        {"person_id": "P1", "iin": IIN_MALE_1990, "last_name": "Ахметов", "first_name": "Ержан",
         "patronymic": "Серикович", "birth_date": "1990-05-15", "sex": "M", "citizenship": "KAZ"},
        {"person_id": "P2", "iin": "", "last_name": "Karimov", "first_name": "Aziz",
         "patronymic": "", "birth_date": "1995-01-02", "sex": "M", "citizenship": "UZB"},
        {"person_id": "P3", "iin": "", "last_name": "Иванова", "first_name": "Анна",
         "patronymic": "", "birth_date": "", "sex": "F", "citizenship": ""},
    ],
    "organizations": [
        {"org_id": "G1", "bin": "123456789012", "name": "Stroy LLP", "kind": "company"},
    ],
    "properties": [
        {"property_id": "H1", "address": "ул. Абая 1, кв. 5", "district": "D1",
         "building_id": "B1", "kind": "apartment", "area_m2": "38.5", "rooms": "1",
         "lat": "51.16", "lon": "71.44"},
        {"property_id": "H2", "address": "ул. Абая 3", "district": "D1", "building_id": "",
         "kind": "house", "area_m2": "", "rooms": "", "lat": "", "lon": ""},
    ],
    "ownerships": [
        {"property_id": "H1", "owner_id": "P1", "owner_type": "person", "share": "1",
         "start_date": "2015-03-01", "end_date": ""},
        {"property_id": "H2", "owner_id": "G1", "owner_type": "organization", "share": "0.5",
         "start_date": "2016-03-01", "end_date": "2030-01-01"},
    ],
    "relations": [{"person_id": "P1", "relative_id": "P3", "relation": "spouse"}],
    "registrations": [
        {"registration_id": "R1", "person_id": "P1", "property_id": "H1", "kind": "permanent",
         "start_date": "2016-01-10", "end_date": "", "channel": "psc", "office_id": "O1",
         "official_id": "F1", "owner_consent": "in_person",
         "processed_at": "2016-01-10T10:15:00"},
        {"registration_id": "R2", "person_id": "P2", "property_id": "H1", "kind": "temporary",
         "start_date": "2020-02-01", "end_date": "2027-02-01", "channel": "egov",
         "office_id": "", "official_id": "", "owner_consent": "sms",
         "processed_at": "2020-02-01 09:00:00"},
        {"registration_id": "R3", "person_id": "P3", "property_id": "H2", "kind": "permanent",
         "start_date": "2019-06-01", "end_date": "2021-06-30", "channel": "", "office_id": "",
         "official_id": "", "owner_consent": "", "processed_at": ""},
    ],
    "inspections": [
        {"inspection_id": "I1", "property_id": "H1", "inspected_on": "2021-05-05",
         "outcome": "violation", "persons_found": "1", "fictitious_count": "1",
         "brokering": "false", "notes": "one registrant absent"},
    ],
    "service_events": [
        {"person_id": "P1", "service": "clinic", "district": "D1", "property_id": "H1",
         "event_date": "2021-07-01"},
    ],
}  # fmt: skip


def write_csv(path: Path, rows: list[dict[str, str]], header: list[str] | None = None) -> Path:
    """Write dict rows to a UTF-8 CSV with a header (from the first row unless given)."""
    header = header if header is not None else list(rows[0]) if rows else []
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def base_tables() -> dict[str, list[dict[str, str]]]:
    """A fresh deep copy of the valid base extract, to mutate in a test."""
    return copy.deepcopy(BASE)


@pytest.fixture
def write_extract(tmp_path: Path) -> Callable[..., Path]:
    """Return f(tables, name="extract") writing {table: rows} as CSV files into a new dir."""

    def write(tables: dict[str, list[dict[str, str]]], name: str = "extract") -> Path:
        out = tmp_path / name
        out.mkdir()
        for table, rows in tables.items():
            header = list(BASE[table][0]) if table in BASE and not rows else None
            write_csv(out / f"{table}.csv", rows, header)
        return out

    return write
