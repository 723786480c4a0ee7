"""The broker-network entry is linked to the network room's Python-computed indicators."""

from __future__ import annotations

from pathlib import Path

from tiny_run import make_tiny_run

from zonewatch.indicators.catalogue import catalogue
from zonewatch.register.evidence import indicator_catalog, live_evidence
from zonewatch.register.runs import register_run
from zonewatch.register.seed import seed_documents, seed_register
from zonewatch.store import Store

NETWORK_IDS = {"owner_nominee_controller", "owner_nominee", "broker_network",
               "official_flagged_share", "owner_flagged_properties", "office_flagged_share"}


def test_seed_lists_the_network_indicators() -> None:
    broker = next(d for d in seed_documents() if d["code"] == "REG-BROKER-NETWORKS")
    assert NETWORK_IDS <= set(broker["indicators"])
    computed = {f.id for f in catalogue().values() if f.computed_by == "network"}
    assert NETWORK_IDS <= computed  # the ids the network room computes


def test_register_catalog_knows_network_ids_with_titles() -> None:
    catalog = indicator_catalog()
    for ind_id in NETWORK_IDS:
        assert catalog[ind_id]["title"] == catalogue()[ind_id].title
    assert "norm_area" in catalog  # the SQL indicators are still there


def test_broker_entry_evidence_marks_network_ids_known(store_url: str, tmp_path: Path) -> None:
    store = Store(store_url)
    with store.session() as db:
        assert "REG-BROKER-NETWORKS" in seed_register(db)
        register_run(db, make_tiny_run(tmp_path / "run"))
        ev = live_evidence(db, "REG-BROKER-NETWORKS")
    store.dispose()
    by_id = {i["id"]: i for i in ev["indicators"]}
    for ind_id in NETWORK_IDS:
        assert by_id[ind_id]["known"] is True, by_id[ind_id]
        assert by_id[ind_id]["title"], ind_id
