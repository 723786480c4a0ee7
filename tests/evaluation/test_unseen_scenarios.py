"""The unseen builder's scenario family (benchmarks/unseen/): draws, tenant chains, answers."""

from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))

from unseen.answer import answer  # noqa: E402
from unseen.city import AS_OF, City, add_offices  # noqa: E402
from unseen.people import PersonFactory  # noqa: E402
from unseen.scenario import Scenario, describe, draw  # noqa: E402
from unseen.tenants import move  # noqa: E402


def test_draw_is_reproducible_and_wide() -> None:
    assert draw(3, 100_000) == draw(3, 100_000)
    family = [draw(s, 100_000) for s in range(1, 31)]
    assert len({s.coverage for s in family}) == 3
    rentals = [s.rental for s in family]
    assert min(rentals) < 0.1 < 0.25 < max(rentals)
    assert all(60_000 <= s.persons <= 150_000 for s in family)
    assert all(s.services_group[0] >= 2 and s.services_group[1] <= 6 for s in family)
    assert "coverage=" in describe(family[0]) and not family[0].legacy
    assert Scenario().legacy and Scenario().corrupt == 2


def tenant_city(**kw: object) -> tuple[City, list[str]]:
    rng = random.Random(5)
    sc = Scenario(name="test", mobile=1.0, history_years=6, **kw)
    city = City(rng=rng, persons=PersonFactory(rng), sc=sc)
    add_offices(city, ["A", "B"])
    flats = []
    for i in range(120):
        pid = f"F{i}"
        city.properties.append({"property_id": pid, "area_m2": 30.0 + i / 2})
        city.district_of[pid] = "A" if i % 2 else "B"
        flats.append(pid)
    move(city, flats)
    return city, flats


def test_tenants_move_between_flats_without_being_in_two_at_once() -> None:
    city, flats = tenant_city(move_on=0.9, students=0.3, seasonal=0.3)
    regs = pd.DataFrame(city.registrations)
    assert set(regs["kind"]) == {"temporary"}
    assert (regs["end_date"] > regs["start_date"]).all()  # the contract: end >= start
    assert (regs["end_date"] <= (AS_OF + dt.timedelta(days=330)).isoformat()).all()
    per_person = regs.groupby("person_id")["property_id"].nunique()
    assert (per_person >= 3).sum() > 10  # chains of renters moving on
    for _, group in regs.sort_values("start_date").groupby("person_id"):
        starts, ends = group["start_date"].tolist(), group["end_date"].tolist()
        assert all(ends[i] <= starts[i + 1] for i in range(len(starts) - 1))
    assert {city.lookalike[f] for f in flats} == {"tenant_chain", "student_flatshare",
                                                  "seasonal_workers"}
    assert not city.fake


def test_tenants_without_moving_on_are_new_people_each_time() -> None:
    city, _ = tenant_city(move_on=0.0)
    regs = pd.DataFrame(city.registrations)
    assert regs.groupby("person_id")["property_id"].nunique().max() == 1


def write_labels(tmp: Path) -> Path:
    pd.DataFrame({"property_id": ["F1", "C2", "P3", "L4"],
                  "is_fraud": ["true", "true", "false", "true"],
                  "fraud_kind": ["small_rubber", "conveyor", None, "big_rubber"],
                  "lookalike": [None, None, "tenant_chain", None]}).to_csv(
        tmp / "property_labels.csv", index=False)
    rows = [("R1", "F1", "2020-01-01", None, False), ("R2", "F1", "2026-03-01", None, True),
            ("R3", "F1", "2026-04-01", "2027-01-01", True),
            ("R4", "C2", "2026-01-01", "2026-03-01", True),
            ("R5", "P3", "2025-01-01", None, False), ("R6", "P3", "2026-05-01", None, False),
            ("R7", "P3", "2026-05-01", "2026-06-01", False),
            ("R8", "L4", "2026-09-01", None, True)]
    pd.DataFrame(rows, columns=["registration_id", "property_id", "start_date", "end_date",
                                "fictitious"]).to_csv(tmp / "registration_truth.csv",
                                                      index=False)
    return tmp


def test_answer_is_truthful_from_labels(tmp_path: Path) -> None:
    got = answer(write_labels(tmp_path), ["F1", "C2", "P3", "L4", "F1"], dt.date(2026, 7, 1))
    assert list(got.columns) == ["inspection_id", "property_id", "inspected_on", "outcome",
                                 "persons_found", "fictitious_count", "brokering", "notes"]
    got = got.set_index("property_id")
    assert len(got) == 4 and got["inspection_id"].is_unique
    assert got.loc["F1", ["outcome", "persons_found", "fictitious_count", "brokering"]] \
        .tolist() == ["violation", 1, 2, True]
    # a conveyor between stays: the house book shows the year's fictitious stays
    assert got.loc["C2", ["outcome", "fictitious_count"]].tolist() == ["violation", 1]
    assert got.loc["P3", ["outcome", "persons_found", "fictitious_count", "brokering"]] \
        .tolist() == ["no_violation", 2, 0, False]
    # visited before its fraud began: clean that day
    assert got.loc["L4", "outcome"] == "no_violation"
    assert set(got["inspected_on"]) == {"2026-07-01"}


def test_answer_refuses_unknown_properties(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not in the labels"):
        answer(write_labels(tmp_path), ["F1", "NOPE"], "2026-07-01")
