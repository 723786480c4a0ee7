"""Golden tests: each indicator flags its planted case and leaves its look-alikes alone."""

from __future__ import annotations

import pytest
from golden_extract import AS_OF, EXPECTED

from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, load_settings, run_indicators

PROPERTY_IDS = sorted(i.id for i in load_indicators()
                      if i.entity == "property" and i.stage == "main")


def test_every_property_indicator_has_a_golden_case():
    assert sorted(EXPECTED) == PROPERTY_IDS


def test_all_property_indicators_ran(golden_run):
    run, _ = golden_run
    assert run.skipped == {}
    assert sorted(run.ran) == PROPERTY_IDS


@pytest.mark.parametrize("indicator_id", PROPERTY_IDS)
def test_flags_planted_and_spares_lookalikes(golden_run, indicator_id):
    run, _ = golden_run
    must, must_not = EXPECTED[indicator_id]
    hits = run.hits[run.hits["indicator_id"] == indicator_id]
    flagged = set(hits["entity_id"])
    assert must <= flagged, f"{indicator_id} missed {must - flagged}"
    assert not (flagged & must_not), f"{indicator_id} flagged look-alikes {flagged & must_not}"
    assert hits["strength"].between(0, 1, inclusive="right").all()
    assert hits["evidence"].str.len().gt(20).all()
    assert not hits["evidence"].str.contains("{", regex=False).any()


def test_norm_sentence_carries_the_figures(golden_run):
    run, _ = golden_run
    row = run.hits[(run.hits["indicator_id"] == "norm_area")
                   & (run.hits["entity_id"] == "RUBBER")].iloc[0]
    # 12 strangers + the NORMAL00 owner registered in 38 m²; floor(38 / 15) = 2 allowed
    assert row["evidence"].startswith("13 people registered on 2026-11-27 in 38 m²")
    assert "allows 2" in row["evidence"]
    assert (row["value"], row["threshold"]) == (13, 2)


def test_family_ties_declared_and_inferred(golden_run):
    _, con = golden_run
    rows = dict(con.execute(
        "SELECT property_id, [exempt, unrelated, tied_declared, tied_inferred] "
        "FROM zw_property_base WHERE property_id IN ('BIGFAMILY', 'NORMAL02', 'RENTED0')"
    ).fetchall())
    assert rows["BIGFAMILY"] == [9, 0, 8, 0]  # owner + 8 declared relatives
    assert rows["NORMAL02"] == [4, 0, 0, 3]  # owner + wife and children by surname/patronymic
    assert rows["RENTED0"] == [0, 2, 0, 0]  # two tenants, strangers to the landlord


def test_small_district_is_compared_with_the_whole_extract(golden_run):
    run, _ = golden_run
    hits = run.hits[run.hits["indicator_id"] == "peer_density"].set_index("entity_id")
    assert "in the whole extract" in hits.loc["SMALLDCROWDED", "evidence"]
    assert "in D1" in hits.loc["RUBBER", "evidence"]


def test_peer_density_names_an_unknown_room_count_instead_of_a_question_mark(golden_run):
    run, con = golden_run
    hits = run.hits[run.hits["indicator_id"] == "peer_density"].set_index("entity_id")
    assert " per 100 m², " in hits.loc["RUBBER", "evidence"]
    assert " per room) against a median of " in hits.loc["RUBBER", "evidence"]
    ind = next(i for i in load_indicators() if i.id == "peer_density")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("UPDATE zw_property_base SET rooms = NULL WHERE property_id = 'RUBBER'")
        again = run_indicators(DuckDBBackend(con=con), [ind], tables, AS_OF, load_settings())
    finally:
        con.execute("ROLLBACK")
    text = again.hits.set_index("entity_id").loc["RUBBER", "evidence"]
    assert "rooms unknown) against a median of " in text and "?" not in text
    assert "per room" not in text  # nor in the peers' median, which it is not compared with


def test_network_member_flags_the_flats_of_a_network(golden_run):
    _, con = golden_run
    con.execute("CREATE OR REPLACE TABLE network_members AS SELECT * FROM (VALUES "
                "('NW-1', 'RUBBER', 30.0), ('NW-1', 'FOREIGN', 30.0), ('NW-1', 'OF1', 30.0), "
                "('NW-2', 'FOREIGN', 5.0), ('NW-0', 'NORMAL01', 0.0)) t(network_id, member_id, "
                "network_score)")
    ind = next(i for i in load_indicators() if i.id == "network_member")
    tables = {"network_members", "properties"}
    run = run_indicators(DuckDBBackend(con=con), [ind], tables, AS_OF, load_settings())
    hits = run.hits.set_index("entity_id")
    assert set(hits.index) == {"RUBBER", "FOREIGN"}  # not the official, not a zero network
    assert hits.loc["FOREIGN", "strength"] == 0.75  # its best network: 30 / (30 + 10)
    assert "one of 2 flats of broker network NW-1" in hits.loc["RUBBER", "evidence"]
