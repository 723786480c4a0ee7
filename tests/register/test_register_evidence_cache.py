"""Cached live evidence equals a fresh computation and follows every change that matters."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from tiny_run import make_tiny_run

from zonewatch.inspections.outcomes import record_outcome
from zonewatch.register import entries, evidence_cache
from zonewatch.register.evidence import live_evidence
from zonewatch.register.evidence_cache import cached_live_evidence
from zonewatch.register.runs import register_run
from zonewatch.store import Store

ENTRY = {"code": "REG-CACHE", "title": "Rubber flats", "summary": "People registered elsewhere.",
         "zone": "registration", "nature": "opportunistic", "likelihood": 4, "impact": 3,
         "status": "assessed", "indicators": ["norm_area"]}


@pytest.fixture
def store(store_url: str):  # noqa: ANN201
    s = Store(store_url)
    with s.session() as db:
        entries.create_entry(db, ENTRY, "ann", "test")
    evidence_cache.clear_cache()
    yield s
    s.dispose()


def _both(store: Store) -> tuple[dict, dict]:
    with store.session() as db:
        return cached_live_evidence(db, "REG-CACHE"), live_evidence(db, "REG-CACHE")


def test_cache_hits_and_follows_changes(store: Store, tmp_path: Path) -> None:
    with store.session() as db:
        register_run(db, make_tiny_run(tmp_path / "early", as_of=date(2026, 6, 1)))
    cached, fresh = _both(store)
    assert cached == fresh and cached["run"]["as_of"] == "2026-06-01"
    size = len(evidence_cache._CACHE)
    cached["indicators"].clear()  # callers may mutate what they get: the cache keeps its copy
    again, _ = _both(store)
    assert again == fresh and len(evidence_cache._CACHE) == size  # a hit, not a recompute

    # the entry changes: its indicators now include peer_density
    with store.session() as db:
        entries.update_entry(db, "REG-CACHE", {"indicators": ["norm_area", "peer_density"]},
                             "ann", "more evidence")
    cached, fresh = _both(store)
    assert cached == fresh and [i["id"] for i in cached["indicators"]][:2] == [
        "norm_area", "peer_density"]

    # a newer run is registered
    with store.session() as db:
        register_run(db, make_tiny_run(tmp_path / "late", as_of=date(2026, 11, 1),
                                       also_norm=("P2", "P4")))
    cached, fresh = _both(store)
    assert cached == fresh and cached["run"]["as_of"] == "2026-11-01"
    assert len(cached["trend"]) == 2

    # an inspection outcome is recorded
    with store.session() as db:
        record_outcome(db, "ivan", property_id="P1", inspected_on="2026-11-10",
                       outcome="violation")
    cached, fresh = _both(store)
    assert cached == fresh and cached["inspections"]["inspected"] == 1


def test_warm_fills_the_cache_for_every_entry(store: Store, tmp_path: Path) -> None:
    with store.session() as db:
        register_run(db, make_tiny_run(tmp_path / "run"))
    evidence_cache.clear_cache()
    assert evidence_cache.warm_evidence(store) == 1
    assert len(evidence_cache._CACHE) == 1
    cached, fresh = _both(store)
    assert cached == fresh and len(evidence_cache._CACHE) == 1  # served from the warm entry
