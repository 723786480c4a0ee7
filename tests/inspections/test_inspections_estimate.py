"""The Horvitz-Thompson estimate from a plan's outcomes: by hand on a tiny design, and on a
generated city, where its interval covers the labelled truth for most exploration draws."""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from zonewatch.inspections.design import Design, inclusion_probabilities
from zonewatch.inspections.labelled import answer, truth_table
from zonewatch.inspections.planner import Capacity, plan_to_csv
from zonewatch.scoring.estimate import estimate_from_inspections


def _rows(*visits: tuple[str, str, float, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"inspection_id": f"I{i}", "property_id": p, "inspected_on": "2026-12-01",
          "outcome": o, "selection": s, "inclusion_probability": pi, "plan_id": "7"}
         for i, (p, s, pi, o) in enumerate(visits)])


def test_estimate_by_hand() -> None:
    # 2 targets (1 violation); 2 exploration visits at pi = 1/2 (1 violation) stand for 4
    ins = _rows(("A", "target", 1.0, "violation"), ("B", "target", 1.0, "no_violation"),
                ("C", "explore", 0.5, "violation"), ("D", "explore", 0.5, "no_violation"))
    est = estimate_from_inspections(ins, n_properties=10)
    share = est["share_with_fictitious"]
    assert est["frame_properties"] == 6 and est["city_properties"] == 10
    assert share["estimate"] == pytest.approx((1 + 4 * 0.5) / 6)
    # targets are known for certain; exploration: N^2 (1 - n/N) s^2 / n = 16 * 0.5 * s^2 / 2,
    # s^2 of y - R over the visits plus one violation and one clean visit: var(1,0,1,0) = 1/3
    assert share["se"] == pytest.approx(math.sqrt(16 * 0.5 / 3 / 2) / 6, abs=1e-6)
    assert share["ci95"][0] < 0.5 < share["ci95"][1]


def test_no_access_raids_and_older_plans_are_handled() -> None:
    ins = _rows(("A", "target", 1.0, "violation"), ("B", "target", 1.0, "no_access"),
                ("C", "explore", 0.25, "no_violation"), ("D", "explore", 0.25, "violation"))
    older = _rows(("E", "target", 1.0, "violation")).assign(plan_id="6",
                                                            inspected_on="2026-01-05")
    raid = pd.DataFrame([{"inspection_id": "R", "property_id": "Z", "inspected_on": "2026-12-02",
                          "outcome": "violation", "selection": "", "inclusion_probability": ""}])
    est = estimate_from_inspections(pd.concat([older, ins, raid]), n_properties=100)
    assert est["plan_id"] == "7" and est["plans_with_probabilities"] == 2
    assert est["visits"] == 4 and est["answered"] == 3
    # B is missing at random among the targets: the answered target stands for both
    assert est["share_with_fictitious"]["estimate"] == pytest.approx((2 * 1 + 8 * 0.5) / 10)
    none = estimate_from_inspections(raid, n_properties=100)
    assert none["status"].startswith("no outcomes carry inclusion probabilities")


@pytest.fixture(scope="module")
def analysed_city(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A generated city of 12,000 persons and its analysis run."""
    from zonewatch.analysis.pipeline import analyze
    from zonewatch.generate import generate_city

    out = tmp_path_factory.mktemp("estimate_city")
    generate_city(out / "city", persons=12000, seed=5)
    analyze(out / "city" / "extract", out / "run")
    return out / "city", out / "run"


@pytest.mark.slow
def test_interval_covers_the_truth_on_a_generated_city(analysed_city: tuple[Path, Path],
                                                       tmp_path: Path) -> None:
    city, run = analysed_city
    ranked = pd.read_csv(run / "properties_ranked.csv", dtype={"property_id": str})
    truth = truth_table(city / "extract", city / "labels", date(2026, 11, 1))
    truth = truth[truth["property_id"].isin(set(ranked["property_id"]))]
    share, fict = truth["is_fraud"].mean(), truth["fictitious"].sum() / truth["registered"].sum()
    assert 0 < share < 0.1
    registered = ranked.set_index("property_id")["registered"]
    flagged = set(ranked.loc[ranked["indicators"].fillna("") != "", "property_id"])
    share_flagged = truth.loc[truth["property_id"].isin(flagged), "is_fraud"].mean()
    cap, design = Capacity(1, 2, 25), Design(explore_share=0.3)
    by_rank = ranked.sort_values("rank")
    frame = by_rank.drop(by_rank[by_rank["score"] > 0].head(35).index)
    probs = inclusion_probabilities(frame, 15, 50, design)
    assert probs["inclusion_probability"].sum() == pytest.approx(15)  # the 15 exploration visits
    assert (probs["inclusion_probability"] > 0).all()  # every non-target property can be drawn
    covered, covered_fict, covered_flagged, draws, widths = 0, 0, 0, 20, []
    for seed in range(draws):
        plan = plan_to_csv(run, cap, date(2026, 11, 2), tmp_path / "plan.csv", seed=seed,
                           design=design, skip_days=0)
        visits = pd.read_csv(tmp_path / "plan.csv", dtype={"property_id": str})
        explore = visits[visits["selection"] == "explore"]
        assert len(explore) == 15 == len(plan["visits"]) - 35
        est = estimate_from_inspections(answer(visits, truth), len(ranked), registered, flagged)
        assert est["frame_properties"] == len(ranked)  # nothing skipped: the whole city
        lo, hi = est["share_with_fictitious"]["ci95"]
        covered += lo <= share <= hi
        lo, hi = est["share_of_flagged_with_fictitious"]["ci95"]
        covered_flagged += lo <= share_flagged <= hi
        widths.append(hi - lo)
        lo, hi = est["fictitious_share_of_registrants"]["ci95"]
        covered_fict += lo <= fict <= hi
    # a 95% interval: missing in more than 3 of 20 draws would happen by chance < 2% of times
    assert min(covered, covered_flagged, covered_fict) >= draws - 3
    # over flagged properties the interval is narrow enough to say something (over all
    # properties it is honest but wide: 3 visits among 3,000 unflagged flats)
    assert sorted(widths)[draws // 2] < share_flagged
