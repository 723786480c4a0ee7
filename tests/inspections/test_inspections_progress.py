"""A plan's progress, each visit's outcome and properties' field status come from the store's
visits and outcomes, per plan and per inspector's teams (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from insp_helpers import town

from zonewatch.inspections.outcomes import record_outcome
from zonewatch.inspections.planner import (
    Capacity,
    annotate_visits,
    build_plan,
    get_plan_row,
    list_plans,
    plan_dict,
)
from zonewatch.inspections.progress import field_status
from zonewatch.store import Store


def test_progress_outcomes_and_field_status(store: Store, tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=12)
    with store.session() as db:
        plan = build_plan(db, run, Capacity(2, 1, 2), date(2026, 12, 1), "ann",
                          inspectors={1: ["ivan"]})
        team1 = [v for v in plan["visits"] if v["team"] == 1]
        team2 = [v for v in plan["visits"] if v["team"] == 2]
        record_outcome(db, "ivan", visit_id=team1[0]["visit_id"], inspected_on="2026-12-01",
                       outcome="violation", fictitious_count=4)
        record_outcome(db, "ivan", visit_id=team1[1]["visit_id"], inspected_on="2026-12-01",
                       outcome="no_access")
        record_outcome(db, "olga", visit_id=team2[0]["visit_id"], inspected_on="2026-12-02",
                       outcome="no_violation")
    with store.session() as db:
        [listed] = list_plans(db)
        assert listed["progress"] == {"visits": 4, "done": 3, "left": 1, "violation": 1,
                                      "no_violation": 1, "no_access": 1}
        [own] = list_plans(db, "ivan")  # the inspector's own team only
        assert own["progress"] == {"visits": 2, "done": 2, "left": 0, "violation": 1,
                                   "no_violation": 0, "no_access": 1}
        assert list_plans(db, "olga") == []  # not assigned
        full = annotate_visits(db, plan_dict(get_plan_row(db, plan["plan_id"])), None)
        by_id = {v["visit_id"]: v for v in full["visits"]}
        assert by_id[team1[0]["visit_id"]]["outcome"] == "violation"
        assert by_id[team1[0]["visit_id"]]["result"]["fictitious_count"] == 4
        assert by_id[team2[1]["visit_id"]]["outcome"] is None
        assert full["progress"] == listed["progress"]
        ids = [v["property_id"] for v in plan["visits"]] + ["NOT-PLANNED"]
        status = field_status(db, ids)
    assert status[team1[0]["property_id"]] == {
        "status": "inspected", "outcome": "violation", "inspected_on": "2026-12-01",
        "plan_id": plan["plan_id"]}
    assert status[team2[1]["property_id"]]["status"] == "planned"
    assert status[team2[1]["property_id"]]["outcome"] is None
    assert "NOT-PLANNED" not in status
    # planned again after an inspection: planned, keeping the last outcome
    with store.session() as db:
        again = build_plan(db, run, Capacity(1, 1, 1), date(2026, 12, 7), "ann",
                           property_ids=[team1[0]["property_id"]])
        status = field_status(db, [team1[0]["property_id"]])
    assert status[team1[0]["property_id"]] == {
        "status": "planned", "outcome": "violation", "inspected_on": "2026-12-01",
        "plan_id": again["plan_id"], "visit_on": "2026-12-07"}
