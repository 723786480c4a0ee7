"""Plans keep a share of visits for exploration drawn with known probabilities, skip what is
planned or recently inspected, and carry selection and probability into the export."""

from __future__ import annotations

import csv
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from insp_helpers import town
from sqlalchemy import inspect, text

from zonewatch.cli import main
from zonewatch.inspections.design import (
    Design,
    allocate,
    draw,
    draw_from,
    inclusion_probabilities,
)
from zonewatch.inspections.outcomes import export_outcomes, record_outcome
from zonewatch.inspections.planfile import PLAN_COLUMNS
from zonewatch.inspections.planner import Capacity, build_plan, plan_to_csv
from zonewatch.store import Store
from zonewatch.store.db import make_engine, upgrade


@pytest.mark.parametrize(
    ("sizes", "n", "expected"),
    [
        ({"band": 100, "flagged": 100, "unflagged": 100}, 10, {"band": 5, "flagged": 3,
                                                               "unflagged": 2}),
        ({"band": 3, "flagged": 100, "unflagged": 100}, 10, {"band": 3, "flagged": 4,
                                                             "unflagged": 3}),
        ({"band": 100, "flagged": 0, "unflagged": 100}, 4, {"band": 2, "flagged": 0,
                                                            "unflagged": 2}),
        # too few visits for two per stratum: one each, so every property can be drawn
        ({"band": 100, "flagged": 100, "unflagged": 100}, 3, {"band": 1, "flagged": 1,
                                                              "unflagged": 1}),
        ({"band": 2, "flagged": 1, "unflagged": 0}, 10, {"band": 2, "flagged": 1,
                                                         "unflagged": 0}),
    ],
)
def test_allocation_by_share_capped_with_floors(sizes: dict, n: int,
                                                        expected: dict) -> None:
    assert allocate(sizes, n, {"band": 0.5, "flagged": 0.3, "unflagged": 0.2}) == expected


def _frame(n: int = 200) -> pd.DataFrame:
    return pd.DataFrame({"property_id": [f"H{i:03d}" for i in range(n)],
                         "rank": range(1, n + 1),
                         "indicators": ["norm_area" if i % 3 == 0 else "" for i in range(n)]})


def test_exploration_probabilities_sum_to_the_exploration_visits() -> None:
    frame, design = _frame(), Design()
    probs = inclusion_probabilities(frame, 17, 40, design)
    assert probs["inclusion_probability"].sum() == pytest.approx(17)
    assert set(probs["stratum"]) == {"band", "flagged", "unflagged"}
    assert (probs.loc[probs["rank"] <= 40, "stratum"] == "band").all()
    # each draw takes exactly the allocated visits; over many draws every frame property is
    # in the plan as often as its recorded probability says (binomial, 5 standard errors)
    rng, times, draws = np.random.default_rng(1), Counter(), 3000
    assert len(draw(frame, 17, 40, design, rng)) == 17
    for _ in range(draws):
        got = draw_from(probs, rng)
        assert len(got) == 17
        times.update(got["property_id"])
    pi = probs.set_index("property_id")["inclusion_probability"]
    freq = pd.Series({p: times[p] / draws for p in pi.index})
    tolerance = 5 * np.sqrt(pi * (1 - pi) / draws) + 1e-9
    assert ((freq - pi).abs() <= tolerance).all()


def test_plan_csv_needs_no_store(tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=90)
    out = tmp_path / "plan.csv"
    args = ["plan", str(run), "--teams", "2", "--days", "2", "--visits-per-day", "5",
            "--start", "2026-12-01", "--seed", "4", "--out", str(out),
            "--store", "nosuchdriver://nothing"]  # a store that cannot be opened
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    assert "17 target, 3 explore" in res.output
    rows = list(csv.DictReader(out.open()))
    assert tuple(rows[0]) == PLAN_COLUMNS
    target = [r for r in rows if r["selection"] == "target"]
    explore = [r for r in rows if r["selection"] == "explore"]
    assert sorted(int(r["rank"]) for r in target) == list(range(1, 18))
    assert {r["inclusion_probability"] for r in target} == {"1.0"}
    assert len(explore) == 3 and all(int(r["rank"]) > 17 for r in explore)
    assert all(0 < float(r["inclusion_probability"]) < 1 for r in explore)
    again = tmp_path / "again.csv"
    CliRunner().invoke(main, args[:-3] + [str(again)])
    assert again.read_text() == out.read_text()  # the seed fixes the draw


def test_csv_plans_skip_what_was_inspected_recently(tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=30)
    done = tmp_path / "done.csv"
    pd.DataFrame({"inspection_id": ["a", "b", "c"], "property_id": ["H000", "H001", "H002"],
                  "inspected_on": ["2026-11-20", "2026-01-02", "2026-11-21"],
                  "outcome": ["violation", "no_violation", "no_access"]}).to_csv(done, index=False)
    ranked = pd.read_csv(run / "properties_ranked.csv").set_index("property_id")["rank"]
    cap = Capacity(1, 1, len(ranked))
    plan = plan_to_csv(run, cap, date(2026, 12, 1), tmp_path / "p.csv", inspections=(done,),
                       design=Design(explore_share=0))
    ids = {v["property_id"] for v in plan["visits"]}
    # H000 was inspected 11 days ago: skipped; H001 a year ago and H002 (no access): planned
    assert "H000" not in ids and {"H001", "H002"} <= ids and plan["skipped"] == 1
    plan = plan_to_csv(run, cap, date(2026, 12, 1), tmp_path / "p.csv", inspections=(done,),
                       skip_days=0)
    assert "H000" in {v["property_id"] for v in plan["visits"]}
    assert int(ranked["H000"]) > 0


def test_stored_plans_skip_open_and_inspected_and_keep_probabilities(
        store: Store, tmp_path: Path) -> None:
    run = town(tmp_path / "run", n=90)
    cap, day = Capacity(2, 2, 5), date(2026, 12, 1)
    with store.session() as db:
        first = build_plan(db, run, cap, day, "ann", seed=1)
        explore = [v for v in first["visits"] if v["selection"] == "explore"]
        assert len(explore) == 3 and all(0 < v["inclusion_probability"] < 1 for v in explore)
        done = first["visits"][0]
        record_outcome(db, "ivan", visit_id=done["visit_id"], inspected_on="2026-12-01",
                       outcome="violation", fictitious_count=3)
        second = build_plan(db, run, cap, date(2026, 12, 7), "ann", seed=2)
    planned = {v["property_id"] for v in first["visits"]}
    assert not planned & {v["property_id"] for v in second["visits"]}
    with store.session() as db:
        third = build_plan(db, run, cap, date(2026, 12, 7), "ann", seed=2, skip_days=0)
        assert done["property_id"] in {v["property_id"] for v in third["visits"]}
        out = tmp_path / "ins.csv"
        assert export_outcomes(db, out) == 1
    row = next(csv.DictReader(out.open()))
    assert row["selection"] == done["selection"] and row["plan_id"] == str(first["plan_id"])
    assert float(row["inclusion_probability"]) == done["inclusion_probability"]


def test_migration_0003_keeps_old_visits_as_targets(store_url: str) -> None:
    engine = make_engine(store_url)
    upgrade(engine, "0002")
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO inspection_plans (id, run_path, created_at, created_by, teams, days, "
            "visits_per_day, start_on) VALUES (1, '/r', :t, 'ann', 1, 1, 1, :d)"),
            {"t": "2026-11-01 00:00:00", "d": date(2026, 11, 2)})
        conn.execute(text(
            "INSERT INTO plan_visits (id, plan_id, team, day, visit_on, seq, property_id, rank, "
            "score) VALUES (1, 1, 1, 1, :d, 1, 'H1', 1, 9.5)"), {"d": date(2026, 11, 2)})
    assert upgrade(engine, "0003_plan_selection") == "0003_plan_selection"
    cols = {c["name"] for c in inspect(engine).get_columns("plan_visits")}
    assert {"selection", "inclusion_probability", "stratum"} <= cols
    with engine.connect() as conn:
        got = conn.execute(text("SELECT selection, inclusion_probability FROM plan_visits"))
        assert [tuple(r) for r in got] == [("target", 1.0)]
    upgrade(engine, "head")
    engine.dispose()


def test_every_plan_setting_is_documented() -> None:
    from zonewatch.inspections.settings import PLAN_SETTINGS

    doc = (Path(__file__).resolve().parents[2] / "docs" / "plans.md").read_text()
    help_text = CliRunner().invoke(main, ["plan", "--help"]).output
    for s in PLAN_SETTINGS:
        assert f"`{s.name}`" in doc, s.name
        assert "--" + s.name.replace("_", "-") in help_text, s.name
    assert "Example:" in help_text
