"""Metric functions on tiny hand-made rankings, with figures worked out by hand."""

from __future__ import annotations

import pytest

from zonewatch.evaluation.metrics import (
    average_precision,
    count_by_group,
    precision_at_k,
    recall_by_group,
    ring_recovery,
)


def test_precision_at_k_counts_hits_in_the_first_k() -> None:
    ranked = ["a", "x", "b", "y", "c"]
    assert precision_at_k(ranked, {"a", "b", "c"}, 3) == pytest.approx(2 / 3)
    assert precision_at_k(ranked, {"a", "b", "c"}, 1) == 1.0
    assert precision_at_k(["a"], {"a", "b"}, 2) == 0.5  # a short ranking counts misses
    assert precision_at_k([], {"a"}, 0) == 0.0


def test_average_precision_by_hand() -> None:
    # hits at ranks 1 and 3: (1/1 + 2/3) / 2 true items
    assert average_precision(["a", "x", "b"], {"a", "b"}) == pytest.approx((1 + 2 / 3) / 2)
    # a missed true item counts zero: (1/1) / 2
    assert average_precision(["a", "x"], {"a", "b"}) == pytest.approx(0.5)
    assert average_precision(["x", "y"], set()) == 0.0
    # duplicates in a ranking are not counted twice
    assert average_precision(["a", "a", "b"], {"a", "b"}) == pytest.approx((1 + 2 / 3) / 2)


def test_recall_and_counts_per_group_within_k() -> None:
    kind = {"a": "mass", "b": "mass", "c": "ring", "d": "ring", "e": "ring"}
    ranked = ["a", "c", "x", "b", "d"]
    assert recall_by_group(ranked, 3, kind) == {"mass": 0.5, "ring": pytest.approx(1 / 3)}
    looks = {"x": "dormitory", "z": "hostel"}
    assert count_by_group(ranked, 3, looks) == {"dormitory": 1, "hostel": 0}
    assert count_by_group(ranked, 2, looks) == {"dormitory": 0, "hostel": 0}


def test_ring_recovery_needs_a_majority_inside_one_network() -> None:
    rings = [{"f1", "f2", "f3"}, {"g1", "g2"}, {"h1", "h2", "h3", "h4"}, set()]
    networks = [{"f1", "f2", "o1"}, {"g1", "x"}, {"h1", "h2"}, {"h3", "h4"}]
    # f: 2 of 3 inside one network; g: 1 of 2 is not a majority; h: split 2 + 2
    assert ring_recovery(rings, networks) == (1, 3)
    assert ring_recovery(rings, []) == (0, 3)
