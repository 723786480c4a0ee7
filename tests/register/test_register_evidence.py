"""Live evidence: flag counts, trends across runs, inspection hit rates, before/after measures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from tiny_run import make_tiny_run

from zonewatch.errors import Invalid
from zonewatch.inspections.outcomes import record_outcome
from zonewatch.register import entries
from zonewatch.register.evidence import live_evidence
from zonewatch.register.runs import list_runs, register_run
from zonewatch.store import Store

ENTRY = {
    "code": "REG-TINY",
    "title": "Rubber flats in the tiny town",
    "summary": "People registered where they do not live.",
    "zone": "registration",
    "nature": "opportunistic",
    "likelihood": 5,
    "impact": 3,
    "status": "mitigating",
    "indicators": ["norm_area", "peer_density", "not_an_indicator_yet"],
    "measures": [
        {"title": "15 m2 norm", "status": "in_force", "effective_on": "2026-08-01"},
        {"title": "no date yet", "status": "proposed"},
    ],
}


@pytest.fixture
def store(store_url: str):  # noqa: ANN201
    s = Store(store_url)
    with s.session() as db:
        entries.create_entry(db, ENTRY, "ann", "test")
    yield s
    s.dispose()


def test_evidence_counts_trend_and_unknown_ids(store: Store, tmp_path: Path) -> None:
    early = make_tiny_run(tmp_path / "early", as_of=date(2026, 6, 1))
    late = make_tiny_run(tmp_path / "late", as_of=date(2026, 11, 1), also_norm=("P2", "P4"))
    with store.session() as db:
        register_run(db, late)
        register_run(db, early)
        ev = live_evidence(db, "REG-TINY")
        runs = list_runs(db)
    assert [r["as_of"] for r in runs] == ["2026-06-01", "2026-11-01"]
    assert ev["run"]["as_of"] == "2026-11-01"  # the latest run, whatever the order registered
    by_id = {i["id"]: i for i in ev["indicators"]}
    assert by_id["norm_area"]["flagged"] == 3 and by_id["peer_density"]["flagged"] == 3
    assert by_id["not_an_indicator_yet"] == {
        "id": "not_an_indicator_yet", "known": False, "entity": None, "title": None,
        "flagged": 0}
    assert ev["flagged_entities"] == 5  # P1, P2, P3, P4, P5
    assert [t["total"] for t in ev["trend"]] == [4, 6]
    norm = ev["measures"][0]
    assert norm["runs"] == {"runs_before": 1, "runs_after": 1, "mean_flags_before": 4.0,
                            "mean_flags_after": 6.0}
    assert "runs" not in ev["measures"][1]


def test_registrations_before_and_after_a_measure(store: Store, tmp_path: Path) -> None:
    run = make_tiny_run(tmp_path / "run", as_of=date(2026, 11, 1))
    with store.session() as db:
        register_run(db, run)
        regs = live_evidence(db, "REG-TINY")["measures"][0]["registrations"]
    # independent count: registrations started in the windows, straight from the run's DuckDB
    con = duckdb.connect(str(run / "zonewatch.duckdb"), read_only=True)
    flagged = ("P1", "P3", "P5")
    before = con.execute(
        "SELECT count(*) FROM registrations WHERE start_date >= DATE '2025-08-01' "
        f"AND start_date < DATE '2026-08-01' AND property_id IN {flagged}").fetchone()[0]
    after = con.execute(
        "SELECT count(*) FROM registrations WHERE start_date >= DATE '2026-08-01' "
        f"AND start_date < DATE '2026-11-01' AND property_id IN {flagged}").fetchone()[0]
    con.close()
    assert regs["available"] and regs["flagged_properties"] == 3
    assert regs["window_after"] == ["2026-08-01", "2026-11-01"]
    assert regs["per_30_days_at_flagged"]["before"] == round(30 * before / 365, 3)
    assert regs["per_30_days_at_flagged"]["after"] == round(30 * after / 92, 3)
    assert before > 0 and after > 0


def test_hit_rate_of_inspections_of_flagged_properties(store: Store, tmp_path: Path) -> None:
    run = make_tiny_run(tmp_path / "run")
    with store.session() as db:
        register_run(db, run)
        for pid, outcome in [("P1", "violation"), ("P3", "no_violation"), ("P5", "no_access"),
                             ("P6", "violation")]:  # P6 is not flagged: not counted
            record_outcome(db, "ivan", property_id=pid, inspected_on="2026-11-10",
                           outcome=outcome)
        hits = live_evidence(db, "REG-TINY")["inspections"]
    assert hits == {"inspected": 3, "violation": 1, "no_violation": 1, "no_access": 1,
                    "hit_rate": 0.5}


def test_evidence_without_runs_and_bad_run_dirs(store: Store, tmp_path: Path) -> None:
    with store.session() as db:
        ev = live_evidence(db, "REG-TINY")
    assert ev["run"] is None and ev["trend"] == [] and ev["flagged_entities"] == 0
    (tmp_path / "empty").mkdir()
    with pytest.raises(Invalid, match="is not an analysis run"):
        with store.session() as db:
            register_run(db, tmp_path / "empty")
    with pytest.raises(Invalid, match="does not exist"):
        with store.session() as db:
            register_run(db, tmp_path / "missing")
