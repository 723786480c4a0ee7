"""`analyze` never crashes on a valid extract, however thin or odd."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "indicators"))
from golden_extract import City, golden_city  # noqa: E402

from zonewatch.analysis import analyze  # noqa: E402

OPTIONAL = ("ownerships", "relations", "service_events", "offices", "officials",
            "organizations", "inspections")


def _no_registrations(c: City) -> None:
    c.rows["registrations"].clear()  # written as a header-only file


def _no_area_or_rooms(c: City) -> None:
    for row in c.rows["properties"]:
        row["area_m2"] = row["rooms"] = None


def _one_property(c: City) -> None:
    keep = c.rows["properties"][0]["property_id"]
    c.rows["properties"][:] = c.rows["properties"][:1]
    for table in ("registrations", "ownerships"):
        c.rows[table][:] = [r for r in c.rows[table] if r["property_id"] == keep]
    c.rows["service_events"].clear()


def _odd_kinds(c: City) -> None:
    for row in c.rows["properties"]:
        row["kind"], row["district"] = "other", "ONE"


def _bare_persons(c: City) -> None:
    for p in c.rows["persons"]:
        p.update(patronymic="", birth_date="", sex="", citizenship="")


CASES = {
    "header-only registrations": (_no_registrations, (), None),
    "no area or rooms": (_no_area_or_rooms, (), None),
    "one property": (_one_property, (), None),
    "every kind other, one district": (_odd_kinds, (), None),
    "persons without optional columns": (_bare_persons, (), None),
    "required tables only": (lambda c: None, OPTIONAL, None),
    "as-of before every registration": (lambda c: None, (), "2010-01-01"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_valid_extract_is_analysed(tmp_path, name):
    mutate, skip, as_of = CASES[name]
    city = golden_city()
    mutate(city)
    ext = city.write(tmp_path / "ext", skip=skip)
    result = analyze(ext, tmp_path / "out", as_of)
    ranked = pd.read_csv(tmp_path / "out" / "properties_ranked.csv")
    assert len(ranked) == len(city.rows["properties"])
    assert ranked["rank"].tolist() == list(range(1, len(ranked) + 1))
    assert result.run["counts"]["properties"] == len(ranked)
    failed = {k: v for k, v in result.run["indicators_skipped"].items()
              if v.startswith("failed")}
    assert failed == {}
