"""Plans fill the capacity with the best-ranked properties, grouped into routes; outcomes
are recorded and exported in the contract's inspections format."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from insp_helpers import town

from zonewatch.cli import main
from zonewatch.inspections.design import Design
from zonewatch.inspections.outcomes import EXPORT_COLUMNS, export_outcomes, record_outcome
from zonewatch.inspections.planner import Capacity, build_plan, working_days
from zonewatch.inspections.routing import Stop, distance_km, order_district
from zonewatch.store import Store
from zonewatch.store.errors import Conflict, Invalid, NotFound


def test_plan_fills_capacity_with_the_top_and_groups_routes(store: Store, tmp_path: Path) -> None:
    run = town(tmp_path / "run")
    cap = Capacity(teams=2, days=3, visits_per_day=4)
    with store.session() as db:
        plan = build_plan(db, run, cap, date(2026, 11, 27), "ann",  # a Friday
                          design=Design(explore_share=0.0))
    visits = plan["visits"]
    assert len(visits) == cap.total == 24
    assert sorted(v["rank"] for v in visits) == list(range(1, 25))  # exactly the top 24
    assert len({v["property_id"] for v in visits}) == 24
    per_team_day = Counter((v["team"], v["day"]) for v in visits)
    assert set(per_team_day.values()) == {4}
    # days skip the weekend: Friday, Monday, Tuesday
    assert sorted({v["visit_on"] for v in visits}) == ["2026-11-27", "2026-11-30", "2026-12-01"]
    # the most suspicious property is visited on day 1
    assert next(v for v in visits if v["rank"] == 1)["day"] == 1
    # route order: each district's visits are one contiguous run, and so is each building
    route = sorted(visits, key=lambda v: (v["day"], v["team"], v["seq"]))
    for key in ("district", "building_id"):
        seen, last = set(), None
        for v in route:
            if v[key] != last:
                assert v[key] not in seen, f"{key} {v[key]} split across the route"
                seen.add(v[key])
                last = v[key]
    # most team-days stay inside one district
    districts = Counter(len({v["district"] for v in visits if (v["team"], v["day"]) == k})
                        for k in per_team_day)
    assert districts[1] >= 4


def test_plan_smaller_than_capacity_and_min_score(store: Store, tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=10)
    with store.session() as db:
        plan = build_plan(db, run, Capacity(3, 5, 10), date(2026, 12, 1), "ann", min_score=97)
    by_rank = sorted(plan["visits"], key=lambda v: v["rank"])
    assert [v["rank"] for v in by_rank if v["selection"] == "target"] == [1, 2, 3, 4, 5]
    # exploration (22 of 150 visits) takes the whole small rest, each for certain
    rest = [v for v in by_rank if v["selection"] == "explore"]
    assert [v["rank"] for v in rest] == [6, 7, 8, 9, 10]
    assert {v["inclusion_probability"] for v in rest} == {1.0}


@pytest.mark.parametrize("bad", [(0, 1, 1), (1, 0, 1), (1, 1, 0), (1000, 1000, 1000)])
def test_capacity_must_be_sane(bad: tuple[int, int, int]) -> None:
    with pytest.raises(Invalid):
        Capacity(*bad)


def test_nearest_neighbour_route_and_weekdays() -> None:
    stops = [Stop("A", 1, 9, "D", "b1", 51.0, 71.0), Stop("C", 2, 8, "D", "b3", 51.2, 71.0),
             Stop("B", 3, 7, "D", "b2", 51.05, 71.0), Stop("N", 4, 6, "D", None, None, None)]
    assert [s.property_id for s in order_district(stops)] == ["A", "B", "C", "N"]
    assert 5.5 < distance_km((51.0, 71.0), (51.05, 71.0)) < 5.6
    assert working_days(date(2026, 11, 28), 2) == [date(2026, 11, 30), date(2026, 12, 1)]
    assert working_days(date(2026, 11, 28), 2, weekends=True)[0] == date(2026, 11, 28)


def test_outcomes_recorded_and_exported_in_contract_format(store: Store, tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=6)
    with store.session() as db:
        plan = build_plan(db, run, Capacity(1, 1, 3), date(2026, 12, 1), "ann")
        visit = plan["visits"][0]
        record_outcome(db, "ivan", visit_id=visit["visit_id"], inspected_on="2026-12-01",
                       outcome="violation", persons_found=1, fictitious_count=12,
                       brokering=True, notes="owner admitted, 12 paid", inspection_id="I-1")
        record_outcome(db, "ivan", property_id="H005", inspected_on=date(2026, 12, 2),
                       outcome="no_access")
    out = tmp_path / "inspections.csv"
    with store.session() as db:
        assert export_outcomes(db, out) == 2
    with out.open() as fh:
        rows = list(csv.DictReader(fh))
    assert tuple(rows[0]) == EXPORT_COLUMNS + ("selection", "inclusion_probability", "plan_id")
    assert rows[0] == {"inspection_id": "I-1", "property_id": visit["property_id"],
                       "inspected_on": "2026-12-01", "outcome": "violation",
                       "persons_found": "1", "fictitious_count": "12", "brokering": "true",
                       "notes": "owner admitted, 12 paid", "selection": visit["selection"],
                       "inclusion_probability": str(visit["inclusion_probability"]),
                       "plan_id": str(plan["plan_id"])}
    assert rows[1]["outcome"] == "no_access" and rows[1]["persons_found"] == ""
    assert rows[1]["selection"] == rows[1]["inclusion_probability"] == ""  # no planned visit
    # the analysis room reads the export as it reads any inspections file
    from zonewatch.analysis.inputs import read_inspection_files

    frame = read_inspection_files((out,))
    assert list(frame["outcome"]) == ["violation", "no_access"]


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"property_id": "H1", "outcome": "maybe"}, Invalid, "outcome: 'maybe' is not one of"),
        ({"property_id": "H1", "outcome": "violation", "inspected_on": "1.12.2026"}, Invalid,
         "not a YYYY-MM-DD date"),
        ({"outcome": "violation"}, Invalid, "give the property"),
        ({"property_id": "H1", "outcome": "violation", "persons_found": -1}, Invalid, ">= 0"),
        ({"property_id": "H1", "outcome": "no_access", "persons_found": 2}, Invalid, "nobody"),
        ({"visit_id": 999, "outcome": "violation"}, NotFound, "no planned visit 999"),
    ],
)
def test_bad_outcomes_are_refused(store: Store, kwargs: dict, error: type, match: str) -> None:
    kwargs = {"inspected_on": "2026-12-01", **kwargs}
    with pytest.raises(error, match=match):
        with store.session() as db:
            record_outcome(db, "ivan", **kwargs)
    with store.session() as db:
        assert export_outcomes(db, Path("/dev/null")) == 0


def test_duplicate_inspection_id_and_visit_mismatch(store: Store, tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=4)
    with store.session() as db:
        plan = build_plan(db, run, Capacity(1, 1, 2), date(2026, 12, 1), "ann")
        record_outcome(db, "i", property_id="H000", inspected_on="2026-12-01",
                       outcome="violation", inspection_id="X")
    with pytest.raises(Conflict):
        with store.session() as db:
            record_outcome(db, "i", property_id="H001", inspected_on="2026-12-01",
                           outcome="violation", inspection_id="X")
    other = next(p for p in ("H000", "H001", "H002", "H003")
                 if p != plan["visits"][0]["property_id"])
    with pytest.raises(Invalid, match="is to"):
        with store.session() as db:
            record_outcome(db, "i", visit_id=plan["visits"][0]["visit_id"], property_id=other,
                           inspected_on="2026-12-01", outcome="violation")


def test_plan_and_outcome_commands(store_url: str, tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=12)
    cli, s = CliRunner(), ["--store", store_url]
    res = cli.invoke(main, ["plan", str(run), "--teams", "2", "--days", "1", "--visits-per-day",
                            "3", "--start", "2026-12-01", "--inspector", "1:ivan", *s])
    assert res.exit_code == 0, res.output
    assert "6 visits of capacity 6" in res.output and "team 2 day 1" in res.output
    bad = cli.invoke(main, ["plan", str(run), "--teams", "0", "--days", "1",
                            "--visits-per-day", "3", *s])
    assert bad.exit_code != 0
    res = cli.invoke(main, ["outcome", "record", "--visit", "1", "--on", "2026-12-01",
                            "--outcome", "violation", "--fictitious", "4", "--brokering", *s])
    assert res.exit_code == 0, res.output
    out = tmp_path / "ins.csv"
    res = cli.invoke(main, ["outcome", "export", "--out", str(out), *s])
    assert "wrote 1 inspections" in res.output
    assert out.read_text().splitlines()[1].split(",")[3:7] == ["violation", "", "4", "true"]


def test_visits_carry_the_address(store: Store, tmp_path: Path) -> None:
    from tiny_run import make_tiny_run

    run = make_tiny_run(tmp_path / "tiny")
    with store.session() as db:
        plan = build_plan(db, run, Capacity(1, 1, 2), date(2026, 12, 1), "ann")
    assert {v["address"] for v in plan["visits"]} == {"Street P1", "Street P3"}
