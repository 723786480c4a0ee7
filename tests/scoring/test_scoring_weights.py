"""Scoring: transparent weighted sums, explanations, and calibration from outcomes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from zonewatch.scoring import (
    calibrate,
    contributions,
    ranking_change,
    score_properties,
    strength_matrix,
)

WEIGHTS = {"a": 2.0, "b": 1.0}


def _hits(rows):
    return pd.DataFrame(rows, columns=["entity_type", "entity_id", "indicator_id", "strength",
                                       "evidence"])


def test_score_is_weighted_sum_with_explanation_and_ranks():
    base = pd.DataFrame({"property_id": ["p1", "p2", "p3", "p4"], "registered": [3, 9, 2, 30],
                         "area_m2": [50.0, 40.0, None, 60.0]})
    hits = _hits([("property", "p1", "a", 0.5, "five people in one room"),
                  ("property", "p1", "b", 1.0, "burst of strangers"),
                  ("property", "p2", "b", 0.25, "a little crowded"),
                  ("owner", "p3", "a", 1.0, "not a property hit")])
    out = score_properties(base, hits, WEIGHTS, tiebreak_weight=0.001)
    assert out["property_id"].tolist() == ["p1", "p2", "p4", "p3"]
    assert out["rank"].tolist() == [1, 2, 3, 4]
    p1 = out.iloc[0]
    assert p1["score"] == pytest.approx(2.0 * 0.5 + 1.0 * 1.0, abs=0.001)
    # equal contributions: ties go by indicator id
    assert p1["indicators"] == "a;b"
    assert p1["explanation"] == ("Flagged by 2 indicators - a: five people in one room; "
                                 "b: burst of strangers.")
    # nobody flagged p4: only the crowding tie-break orders it above p3
    assert out.iloc[2]["indicators"] == "" and out.iloc[2]["score"] > out.iloc[3]["score"]
    assert out.iloc[3]["explanation"] == "No indicator fired: 2 registered, area unknown."


def test_one_evidence_family_counts_its_strongest_in_full_and_the_rest_discounted():
    base = pd.DataFrame({"property_id": ["crowded", "two_facts"], "registered": [7, 3],
                         "area_m2": [33.0, 60.0]})
    weights = {"norm": 3.0, "density": 1.5, "strangers": 3.0, "away": 3.0}
    families = {"norm": "crowding", "density": "crowding", "strangers": "crowding"}
    hits = _hits([("property", "crowded", "norm", 0.6, "over the norm"),
                  ("property", "crowded", "density", 0.4, "denser than peers"),
                  ("property", "crowded", "strangers", 0.5, "unrelated people"),
                  ("property", "two_facts", "strangers", 0.5, "unrelated people"),
                  ("property", "two_facts", "away", 0.6, "living elsewhere")])
    plain = score_properties(base, hits, weights, 0.0).set_index("property_id")["score"]
    fam = score_properties(base, hits, weights, 0.0, families, 0.5)
    score = fam.set_index("property_id")["score"]
    assert plain["crowded"] == pytest.approx(1.8 + 0.6 + 1.5)
    assert score["crowded"] == pytest.approx(1.8 + 0.5 * (0.6 + 1.5))
    # independent facts add in full: the two-fact flat now outranks one fact seen three ways
    assert score["two_facts"] == pytest.approx(plain["two_facts"]) == pytest.approx(1.5 + 1.8)
    assert fam["property_id"].tolist() == ["two_facts", "crowded"]
    assert fam.iloc[1]["explanation"].count(";") == 2  # every fired indicator still explains
    # each evidence row's contribution: the strongest of the family in full, the rest halved
    share = contributions(hits, weights, families, 0.5)
    assert share.tolist() == pytest.approx([1.8, 0.3, 0.75, 1.5, 1.8])
    assert share[:3].sum() == pytest.approx(score["crowded"])


def _synthetic(n: int = 600, seed: int = 4):
    """Indicator `a` predicts violations, `b` does not; inspections favour crowded flats."""
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(n)]
    a = (rng.random(n) < 0.3) * rng.uniform(0.3, 1.0, n)
    b = (rng.random(n) < 0.3) * rng.uniform(0.3, 1.0, n)
    registered = rng.integers(0, 30, n)
    violation = rng.random(n) < 1 / (1 + np.exp(-(-2.5 + 5 * a)))
    inspected = rng.random(n) < np.clip(registered / 30, 0.05, 0.9)
    matrix = pd.DataFrame({"a": a, "b": b}, index=pd.Index(ids, name="entity_id"))
    insp = pd.DataFrame({"property_id": np.array(ids)[inspected], "inspected_on": "2026-10-01",
                         "outcome": np.where(violation[inspected], "violation", "no_violation")})
    return matrix, pd.Series(registered, index=ids), insp


def test_calibration_moves_weight_to_the_predictive_indicator():
    matrix, registered, insp = _synthetic()
    declared = {"a": 1.0, "b": 1.0}
    calib = calibrate(matrix, registered, insp, declared, {"prior_outcomes": 50})
    assert calib.used, calib.summary
    assert calib.weights["a"] > declared["a"] > calib.weights["b"]
    assert calib.summary["outcomes"] == len(insp)
    assert 0 < calib.summary["blend_share_of_calibration"] < 1


def test_too_few_outcomes_keep_declared_weights():
    matrix, registered, insp = _synthetic()
    declared = {"a": 1.0, "b": 3.0}
    few = insp.head(20)
    calib = calibrate(matrix, registered, few, declared, {"min_outcomes": 30})
    assert not calib.used and calib.weights == declared
    assert "too few" in calib.summary["reason"]
    one_class = insp.assign(outcome="no_violation")
    assert not calibrate(matrix, registered, one_class, declared, {}).used


def test_no_access_is_not_an_outcome_and_latest_inspection_wins():
    matrix, registered, insp = _synthetic()
    noise = insp.assign(outcome="no_access")
    calib = calibrate(matrix, registered, pd.concat([insp, noise]), {"a": 1.0, "b": 1.0}, {})
    assert calib.summary["outcomes"] == len(insp)
    later = insp.assign(inspected_on="2026-11-01", outcome="violation")
    both = calibrate(matrix, registered, pd.concat([insp, later]), {"a": 1.0, "b": 1.0}, {})
    assert both.summary["violations"] == len(insp)  # all latest outcomes are violations


def test_strength_matrix_and_ranking_change():
    base = pd.DataFrame({"property_id": ["x", "y"], "registered": [1, 2], "area_m2": [1, 2]})
    hits = _hits([("property", "y", "a", 0.4, "e")])
    m = strength_matrix(base, hits, ["a", "b"])
    assert m.loc["y", "a"] == 0.4 and m.loc["x"].sum() == 0 and list(m.columns) == ["a", "b"]
    one = pd.DataFrame({"property_id": list("abcd"), "score": [4, 3, 2, 1], "rank": [1, 2, 3, 4]})
    flipped = one.assign(score=[1, 2, 3, 4], rank=[4, 3, 2, 1])
    change = ranking_change(one, flipped, top=2)
    assert change["spearman"] == -1.0 and change["top2_overlap"] == 0.0
    assert ranking_change(one, one, top=2)["top2_overlap"] == 1.0


def test_calibration_stays_within_max_change_of_declared_weights():
    matrix, registered, insp = _synthetic(n=2000)
    declared = {"a": 1.0, "b": 1.0}
    free = calibrate(matrix, registered, insp, declared,
                     {"prior_outcomes": 1, "max_change": 100.0})
    assert free.weights["a"] > 1.5  # unbounded, the fit pulls `a` far from its prior
    capped = calibrate(matrix, registered, insp, declared, {"prior_outcomes": 1})
    assert capped.weights["a"] == pytest.approx(1.5)
    assert capped.weights["b"] >= 1.0 / 1.5
    assert "a" in capped.summary["capped_at_max_change"]
    with pytest.raises(ValueError, match="max_change must be >= 1"):
        calibrate(matrix, registered, insp, declared, {"max_change": 0.5})
