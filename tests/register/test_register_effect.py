"""A measure's effect: equal windows, a reweighted comparison group, a bootstrap interval."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest
from test_register_evidence import ENTRY
from tiny_run import make_tiny_run

from zonewatch.register import entries
from zonewatch.register.effect import did_effect, windows
from zonewatch.register.evidence import live_evidence
from zonewatch.register.runs import register_run
from zonewatch.store import Store


def _city(effect: float, seed: int, n: int = 3000) -> tuple[pd.DataFrame, set[str]]:
    """Properties in 3 districts x 2 kinds; treated ones mostly dormitories, with 4x the
    registrations; after the measure the treated rate is multiplied by `effect` and every
    property's by a trend of its kind (x2 dormitories, x1.1 apartments), which a before/after
    comparison, or one against all untouched properties, would take for the measure."""
    rng = np.random.default_rng(seed)
    district = rng.choice(["A", "B", "C"], n)
    kind = rng.choice(["apartment", "dormitory"], n, p=[0.8, 0.2])
    base = np.where(district == "A", 2.0, 1.0)
    treated = rng.random(n) < np.where(kind == "dormitory", 0.5, 0.1)
    rate = base * np.where(treated, 4.0, 1.0)
    trend = np.where(kind == "dormitory", 2.0, 1.1)
    frame = pd.DataFrame({"property_id": [f"P{i}" for i in range(n)], "district": district,
                          "kind": kind, "before": rng.poisson(rate),
                          "after": rng.poisson(rate * trend * np.where(treated, effect, 1.0))})
    return frame, set(frame.loc[treated, "property_id"])


@pytest.mark.parametrize("effect", [0.5, 1.0])
def test_did_recovers_a_planted_effect_despite_a_city_wide_trend(effect: float) -> None:
    frame, treated = _city(effect, seed=1)
    found = did_effect(frame, treated, draws=400)
    low, high = found["ci95_pct"]
    truth = 100 * (effect - 1)
    assert found["available"] and low <= truth <= high, found
    assert high - low < 25  # informative at this size
    assert abs(found["change_pct"] - truth) < 10
    naive = 100 * (found["ratio_treated"] - 1)  # before/after at the treated alone
    assert naive > truth + 20  # the trend fools it
    pooled = frame[~frame["property_id"].isin(treated)]
    unweighted = found["ratio_treated"] / (pooled["after"].sum() / pooled["before"].sum())
    assert 100 * (unweighted - 1) > truth + 10  # so does an unweighted comparison group


def test_interval_covers_the_truth_in_most_redraws() -> None:
    covered = 0
    for seed in range(20):
        frame, treated = _city(0.7, seed=seed, n=1500)
        low, high = did_effect(frame, treated, draws=300, seed=seed)["ci95_pct"]
        covered += low <= -30 <= high
    assert covered >= 17


def test_unmatched_cells_and_empty_groups() -> None:
    frame = pd.DataFrame({"property_id": ["P1", "P2", "P3"], "district": ["A", "A", "B"],
                          "kind": ["apartment"] * 3, "before": [3, 2, 5], "after": [1, 2, 5]})
    found = did_effect(frame, {"P1", "P3"}, draws=50)
    assert found["unmatched_treated"] == 1  # P3's cell has no comparison property
    assert found["treated"] == {"properties": 1, "before": 3, "after": 1}
    assert found["change_pct"] == pytest.approx(100 * ((1 / 3) / (2 / 2) - 1), abs=0.1)
    assert not did_effect(frame, set(), draws=10)["available"]


def test_windows_are_equal_and_bounded() -> None:
    start = date(2026, 8, 1)
    assert windows(start, date(2026, 11, 1), date(2020, 1, 1)) == 92  # the as-of bounds after
    assert windows(start, date(2028, 1, 1), date(2026, 6, 1)) == 61  # the data bound before
    assert windows(start, date(2028, 1, 1), date(2020, 1, 1)) == 365


def test_live_evidence_has_the_effect_with_a_group_chosen_before_the_measure(
        store_url: str, tmp_path: Path) -> None:
    store = Store(store_url)
    with store.session() as db:
        entries.create_entry(db, ENTRY, "ann", "test")
    early = make_tiny_run(tmp_path / "early", as_of=date(2026, 6, 1))
    late = make_tiny_run(tmp_path / "late", as_of=date(2026, 11, 1), also_norm=("P2", "P4"))
    with store.session() as db:
        register_run(db, late)
        ev = live_evidence(db, "REG-TINY")
        register_run(db, early)
        ev_early = live_evidence(db, "REG-TINY")
    store.dispose()
    effect = ev["measures"][0]["effect"]
    assert effect["treated_from"]["before_measure"] is False  # only a run after the measure
    chosen = ev_early["measures"][0]["effect"]
    assert chosen["treated_from"] == {"run": str(early.resolve()), "as_of": "2026-06-01",
                                      "before_measure": True}
    before, start = (date.fromisoformat(d) for d in chosen["window_before"])
    after_start, after_end = (date.fromisoformat(d) for d in chosen["window_after"])
    assert start == after_start == date(2026, 8, 1)
    assert start - before == after_end - after_start == timedelta(days=chosen["window_days"])
    con = duckdb.connect(str(late / "zonewatch.duckdb"), read_only=True)
    flagged_early = {"P1", "P3", "P5"}  # what norm_area / peer_density flag in the early run
    n = con.execute("SELECT count(*) FROM registrations WHERE start_date >= ? AND start_date < ?"
                    " AND list_contains(?, property_id)",
                    [before, start, sorted(flagged_early)]).fetchone()[0]
    con.close()
    assert chosen["treated"]["before"] <= n  # unmatched cells may leave some out
