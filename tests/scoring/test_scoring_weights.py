"""Scoring: transparent weighted sums, explanations, and calibration from outcomes."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest

from zonewatch.indicators.settings import RaritySettings, indicator_settings
from zonewatch.scoring import (
    calibrate,
    contributions,
    ranking_change,
    score_properties,
    strength_matrix,
)
from zonewatch.scoring.calibrate import outcomes_frame
from zonewatch.scoring.patterns import keep_prior_where_alone, pattern_hits
from zonewatch.scoring.rarity import measure, peer_groups

WEIGHTS = {"a": 2.0, "b": 1.0}


def _hits(rows):
    return pd.DataFrame(rows, columns=["entity_type", "entity_id", "indicator_id", "strength",
                                       "evidence"])


def test_score_is_weighted_sum_with_explanation_and_ranks():
    base = pd.DataFrame({"property_id": ["p1", "p2", "p3", "p4"], "registered": [3, 9, 2, 30],
                         "area_m2": [50.0, 40.0, None, 60.0], "norm_m2": 15.0})
    hits = _hits([("property", "p1", "a", 0.5, "five people in one room"),
                  ("property", "p1", "b", 1.0, "burst of strangers"),
                  ("property", "p2", "b", 0.25, "a little crowded"),
                  ("owner", "p3", "a", 1.0, "not a property hit")])
    out = score_properties(base, hits, WEIGHTS, DEFAULTS.scoring, {})
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


def test_the_tie_break_counts_places_of_each_property_s_own_norm():
    # same registrants and area: the flat under the stricter norm (18 m² per person) has
    # fewer places, so is more crowded; without a norm in force registrants alone count
    base = pd.DataFrame({"property_id": ["loose", "strict", "none"], "registered": [6, 6, 5],
                         "area_m2": [54.0, 54.0, 54.0], "norm_m2": [9.0, 18.0, None]})
    out = score_properties(base, _hits([]), WEIGHTS, DEFAULTS.scoring, {})
    assert out["property_id"].tolist() == ["none", "strict", "loose"]
    per_place = 6 / 3  # 54 m² / 18 m² = 3 places
    tiebreak = DEFAULTS.scoring.tiebreak_weight
    assert out.iloc[1]["score"] == pytest.approx(tiebreak * per_place / (1 + per_place), abs=1e-6)


def test_one_evidence_family_counts_its_strongest_in_full_and_the_rest_discounted():
    base = pd.DataFrame({"property_id": ["crowded", "two_facts"], "registered": [7, 3],
                         "area_m2": [33.0, 60.0], "norm_m2": 15.0})
    weights = {"norm": 3.0, "density": 1.5, "strangers": 3.0, "away": 3.0}
    families = {"norm": "crowding", "density": "crowding", "strangers": "crowding"}
    hits = _hits([("property", "crowded", "norm", 0.6, "over the norm"),
                  ("property", "crowded", "density", 0.4, "denser than peers"),
                  ("property", "crowded", "strangers", 0.5, "unrelated people"),
                  ("property", "two_facts", "strangers", 0.5, "unrelated people"),
                  ("property", "two_facts", "away", 0.6, "living elsewhere")])
    untied = dataclasses.replace(DEFAULTS.scoring, tiebreak_weight=0.0)
    plain = score_properties(base, hits, weights, dataclasses.replace(
        untied, family_discount=1.0), families).set_index("property_id")["score"]
    fam = score_properties(base, hits, weights, dataclasses.replace(
        untied, family_discount=0.5), families)
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


DEFAULTS = indicator_settings()


def _settings(**over):
    """The declared calibration settings with a stiffer prior than the default."""
    return dataclasses.replace(DEFAULTS.calibration, **{"prior_precision": 4.0, **over})


def _synthetic(n: int = 600, seed: int = 4):
    """Indicator `a` predicts violations, `b` does not; inspections favour the top ranks."""
    rng = np.random.default_rng(seed)
    ids = [f"p{i}" for i in range(n)]
    a = (rng.random(n) < 0.3) * rng.uniform(0.3, 1.0, n)
    b = (rng.random(n) < 0.3) * rng.uniform(0.3, 1.0, n)
    violation = rng.random(n) < 1 / (1 + np.exp(-(-2.5 + 5 * a)))
    ranks = pd.Series((-(a + b)).argsort().argsort() + 1, index=ids)
    inspected = rng.random(n) < np.where(ranks <= n // 3, 0.8, 0.1)
    selection = pd.DataFrame({"rank": ranks, "registered": rng.integers(0, 30, n)}, index=ids)
    matrix = pd.DataFrame({"a": a, "b": b}, index=pd.Index(ids, name="entity_id"))
    insp = pd.DataFrame({"property_id": np.array(ids)[inspected], "inspected_on": "2026-10-01",
                         "outcome": np.where(violation[inspected], "violation", "no_violation")})
    return matrix, selection, insp


def test_calibration_moves_weight_to_the_predictive_indicator_without_a_cap():
    matrix, ranks, insp = _synthetic(n=2000)
    declared = {"a": 1.0, "b": 1.0}
    calib = calibrate(matrix, ranks, insp, declared, _settings())
    assert calib.used, calib.summary
    # `b` predicts nothing: refuted, weight 0; `a` takes the whole declared total
    assert calib.weights["b"] < 0.3 and calib.weights["a"] > 1.7
    assert calib.summary["outcomes"] == len(insp)
    assert "estimated from rank and registrants" in calib.summary["propensity"]
    # a strong prior keeps the declared weights longer
    stiff = calibrate(matrix, ranks, insp, declared, _settings(prior_precision=1e6))
    assert stiff.weights["a"] == pytest.approx(1.0, abs=0.05)


def test_a_few_missed_violations_do_not_refute_the_indicator_that_confirms_the_rest():
    # `c` fires on 60 flats that are all in violation, together with `a` and `b`; inspectors
    # missed 4 of them (recorded clean): `c` must not come out as evidence of innocence
    matrix, selection, insp = _synthetic(n=2000)
    confirmed = selection.sort_values("rank").index[:60]
    matrix["c"] = 0.0
    matrix.loc[confirmed, ["a", "b", "c"]] = 0.9
    visits = pd.DataFrame({"property_id": confirmed, "inspected_on": "2026-10-15",
                           "outcome": ["no_violation"] * 4 + ["violation"] * 56})
    insp = pd.concat([insp[~insp["property_id"].isin(confirmed)], visits])
    declared = {"a": 1.0, "b": 1.0, "c": 1.0}
    calib = calibrate(matrix, selection, insp, declared, _settings())
    assert calib.weights["c"] > 0.5 and "c" not in calib.summary["refuted"]
    assert calib.summary["label_noise"] == 0.05


def test_an_indicator_seen_only_beside_stronger_evidence_is_not_refuted_until_seen_alone():
    # `s` fires weakly on inspected flats that `a` flags strongly, mostly the clean ones: the
    # outcomes cannot tell its own worth (a raid's fullest flats), so it keeps its prior
    matrix, selection, insp = _synthetic(n=2000)
    inspected = matrix.loc[insp["property_id"]]
    strong = inspected.index[inspected["a"] > 0.6]
    clean = set(insp.loc[insp["outcome"] == "no_violation", "property_id"])
    beside = [p for p in strong if p in clean][:40] + [p for p in strong if p not in clean][:10]
    matrix["s"] = 0.0
    matrix.loc[beside, "s"] = 0.3
    declared = {"a": 1.0, "b": 1.0, "s": 1.0}
    calib = calibrate(matrix, selection, insp, declared, _settings())
    assert calib.summary["fitted_coefficients"]["s"] < 0  # what the fit alone says
    assert "s" not in calib.summary["refuted"] and calib.weights["s"] > 0.3
    assert calib.summary["own_support"]["s"] == 0
    # seen alone on 150 clean visits, it is refuted
    alone = [p for p in insp["property_id"] if matrix.loc[p, ["a", "b"]].sum() == 0][:150]
    matrix.loc[alone, "s"] = 0.8
    insp = insp.copy()
    insp.loc[insp["property_id"].isin(alone), "outcome"] = "no_violation"
    seen = calibrate(matrix, selection, insp, declared, _settings())
    assert seen.summary["own_support"]["s"] > 50 and "s" in seen.summary["refuted"]


def test_recorded_inclusion_probabilities_are_used():
    matrix, ranks, insp = _synthetic()
    insp = insp.assign(inclusion_probability=0.5)
    calib = calibrate(matrix, ranks, insp, {"a": 1.0, "b": 1.0}, _settings())
    assert calib.summary["propensity"].startswith(f"recorded inclusion probabilities for "
                                                  f"{len(insp)} outcomes")
    assert calib.outcomes["ipw"].to_numpy() == pytest.approx(1.0)


def test_too_few_outcomes_keep_declared_weights():
    matrix, ranks, insp = _synthetic()
    declared = {"a": 1.0, "b": 3.0}
    calib = calibrate(matrix, ranks, insp.head(20), declared, _settings())
    assert not calib.used and calib.weights == declared
    assert "too few" in calib.summary["reason"]
    one_class = insp.assign(outcome="no_violation")
    assert not calibrate(matrix, ranks, one_class, declared, _settings()).used


def test_no_access_is_not_an_outcome_and_latest_inspection_wins():
    matrix, ranks, insp = _synthetic()
    noise = insp.assign(outcome="no_access")
    calib = calibrate(matrix, ranks, pd.concat([insp, noise]), {"a": 1.0, "b": 1.0},
                      _settings())
    assert calib.summary["outcomes"] == len(insp)
    later = insp.assign(inspected_on="2026-11-01", outcome="violation")
    both = calibrate(matrix, ranks, pd.concat([insp, later]), {"a": 1.0, "b": 1.0},
                     _settings())
    assert both.summary["violations"] == len(insp)  # all latest outcomes are violations
    # confirmed fictitious registrants count as a violation whatever the outcome says
    fictitious = insp.assign(outcome="no_violation", fictitious_count="2")
    assert outcomes_frame(fictitious)["y"].sum() == len(insp)


def test_a_round_of_outcomes_raises_a_confirmed_pattern_and_lowers_a_refuted_one():
    ids = [f"p{i}" for i in range(40)]
    fired = {pid: ("x;y" if i < 20 else "z") for i, pid in enumerate(ids)}
    hits = _hits([("property", pid, ind, 0.5, "e") for pid in ids for ind in
                  fired[pid].split(";")])
    scores = pd.Series(1.0, index=ids)
    # inspected: ten of each pattern; x;y all clean (refuted), z all violations (confirmed)
    seen = pd.DataFrame({"property_id": ids[:10] + ids[20:30],
                         "y": [0.0] * 10 + [1.0] * 10, "ipw": 1.0})
    model = {"intercept": -1.0, "log_odds_per_point": 1.0}  # predicted rate 50% for all
    learned, summary = pattern_hits(hits, scores, seen, model, _settings())
    shift = learned.set_index("entity_id")["strength"]
    assert set(shift.index) == set(ids)  # every property of a pattern moves, inspected or not
    assert (shift[ids[:20]] < -1).all() and (shift[ids[20:]] > 1).all()
    assert summary["x;y"]["violations"] == 0 and summary["z"]["visits"] == 10
    assert "found 0 in violation" in learned.set_index("entity_id").loc["p15", "evidence"]
    # few visits move a pattern less than many (shrinkage to the model)
    few, _ = pattern_hits(hits, scores, seen.iloc[[0, 10]], model, _settings())
    assert abs(few.set_index("entity_id").loc["p25", "strength"]) < shift["p25"]


def test_one_clean_visit_among_near_certain_ones_is_noise_and_all_clean_still_refutes():
    ids = [f"p{i}" for i in range(8)]
    hits = _hits([("property", pid, ind, 0.9, "e") for pid in ids for ind in ("x", "y")])
    scores = pd.Series(4.0, index=ids)
    model = {"intercept": -1.0, "log_odds_per_point": 2.0}  # predicted 99.9% for all
    one_clean = pd.DataFrame({"property_id": ids, "y": [1.0] * 7 + [0.0], "ipw": 1.0})
    _, summary = pattern_hits(hits, scores, one_clean, model, _settings())
    # visits show a certain pattern as 95% (label_noise 0.05): 7 of 8 is within that
    assert summary["x;y"]["predicted_rate"] == pytest.approx(0.95, abs=2e-3)
    assert abs(summary["x;y"]["points"]) < 0.5
    all_clean = one_clean.assign(y=0.0)
    _, refuted = pattern_hits(hits, scores, all_clean, model, _settings())
    assert refuted["x;y"]["points"] < -1.5


def test_a_flat_flagged_by_one_indicator_alone_keeps_its_declared_weight():
    base = pd.DataFrame({"property_id": ["bare", "busy", "elsewhere"], "registered": [3, 9, 4],
                         "area_m2": [50.0, 40.0, 60.0], "norm_m2": 15.0})
    untied = dataclasses.replace(DEFAULTS.scoring, tiebreak_weight=0.0)
    hits = _hits([("property", "bare", "network_member", 0.6, "e"),
                  ("property", "busy", "network_member", 0.6, "e"),
                  ("property", "busy", "norm_area", 0.8, "e"),
                  ("property", "elsewhere", "services_elsewhere", 0.5, "e")])
    declared = {"network_member": 2.0, "norm_area": 3.0, "services_elsewhere": 3.0}
    # learned beside other evidence: membership up, services elsewhere refuted
    learned = {"network_member": 5.0, "norm_area": 1.5, "services_elsewhere": 0.0}
    out = keep_prior_where_alone(hits, declared, learned, {"network_member"})
    score = score_properties(base, out, learned, untied, {}).set_index("property_id")["score"]
    assert score["bare"] == pytest.approx(0.6 * 2.0)  # declared, not 0.6 x 5.0
    assert score["elsewhere"] == pytest.approx(0.5 * 3.0)  # declared, not 0
    assert score["busy"] == pytest.approx(0.6 * 5.0 + 0.8 * 1.5)  # beside others: learned
    assert out["strength"].tolist() == hits["strength"].tolist()  # strengths untouched
    # a weight outcomes raised stays raised on the lone flat (not a borrowed one)
    raised = keep_prior_where_alone(hits, declared, {**learned, "services_elsewhere": 4.0},
                                    {"network_member"})
    up = score_properties(base, raised, {**learned, "services_elsewhere": 4.0}, untied, {})
    assert up.set_index("property_id").loc["elsewhere", "score"] == pytest.approx(0.5 * 4.0)


def test_rarity_measures_a_finding_against_its_peers():
    base = pd.DataFrame({"property_id": [f"f{i}" for i in range(1000)], "kind": "apartment",
                         "exempt": 0})
    hits = _hits([("property", f"f{i}", "common", 0.9, "e") for i in range(600)]
                 + [("property", "f1", "rare", 0.2, "r")])
    rule = RaritySettings(reference=1000.0, share=1.0, min_peers=10)
    measured = measure(hits, peer_groups(base, rule), rule).set_index("indicator_id")
    # a strong finding most flats share is weak evidence; a weak one nobody else has is strong
    assert measured.loc["common", "strength"].max() < 0.1
    assert measured.loc["rare", "strength"] == pytest.approx(1.0)
    assert measured.loc["rare", "own_strength"] == 0.2
    assert "1 of 1,000 let flats, 1 in 1,000" in measured.loc["rare", "evidence"]


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
