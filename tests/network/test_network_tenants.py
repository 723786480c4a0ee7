"""Golden tests: ordinary tenants moving between rented flats form no broker network and
lift no flat; a real ring (strangers batch-registered and passed among a controller's
family's flats) is still one network that is mostly its own (tenant_city.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from nw_city import AS_OF
from tenant_city import CHAIN, RING, build_tenant_city

from zonewatch.analysis import feedback
from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, load_settings
from zonewatch.indicators.prepare import prepare
from zonewatch.network import PeopleResults, rank_people

# the rule before mover baselines: any shared mover links two flagged flats
EVERY_MOVER_LINKS = {"min_shared_persons": 1, "mover_alpha": 1e12}


def _members(result: PeopleResults) -> list[set[str]]:
    return [set(m.split(";")) for m in result.networks["members"]]


@pytest.fixture(scope="module")
def tenants() -> PeopleResults:
    return rank_people(build_tenant_city().connect(), AS_OF)


def test_the_chain_is_real_movement_that_the_old_rule_joined() -> None:
    """The test city's tenants do tie the rentals when every shared mover is a link."""
    old = rank_people(build_tenant_city().connect(), AS_OF, EVERY_MOVER_LINKS)
    assert max(len(m & set(CHAIN)) for m in _members(old)) >= 10


def test_a_chain_of_renters_forms_no_broker_network(tenants: PeopleResults) -> None:
    for members in _members(tenants):
        assert not members & set(CHAIN), members


def test_the_ring_is_one_network_that_is_mostly_theirs(tenants: PeopleResults) -> None:
    ring = [m for m in _members(tenants) if m & set(RING)]
    assert len(ring) == 1 and set(RING) <= ring[0]
    flats = {m for m in ring[0] if m[:2] in ("KF", "TF", "FF")}
    assert len(set(RING)) / len(flats) >= 0.8
    assert {"K", "K1", "K2", "F1"} <= ring[0]
    assert "KH" not in ring[0]  # the controller's own home is his, not a broker flat
    row = tenants.networks[[bool(m & set(RING)) for m in _members(tenants)]].iloc[0]
    text = row["explanation"]
    assert "30 of their 30 registrants moved between these flats" in text
    assert "separate moves of strangers between" in text and " days apart" in text
    assert "this extract's ordinary mobility gives flats this busy" in text
    flags = tenants.network_flags.set_index("network_id")
    assert flags.at[row["network_id"], "anomalous"]


def test_movement_alone_finds_the_ring_and_not_the_chain() -> None:
    """Without any property scores nothing is flagged and no owner is tied: the ring's
    strangers alone exceed the extract's ordinary mobility, the tenants' moves do not."""
    city = build_tenant_city()
    city.scores = dict.fromkeys(city.scores, 0.0)
    result = rank_people(city.connect(), AS_OF)
    ring = [m for m in _members(result) if m & set(RING)]
    assert len(ring) == 1 and set(RING) <= ring[0]
    assert not any(m & set(CHAIN) for m in _members(result))


def _network_member_hits(city_con, people: PeopleResults) -> pd.DataFrame:
    backend = DuckDBBackend(con=city_con)
    tables = {"persons", "properties", "ownerships", "registrations", "offices", "officials",
              "organizations"}
    settings = load_settings()
    prepare(backend, tables, AS_OF, settings)
    post = [i for i in load_indicators() if i.id == "network_member"]
    run, _ = feedback.after_networks(city_con, backend, post, tables, AS_OF, settings, people)
    return run.hits


def test_no_network_member_hit_for_renters_but_for_the_ring() -> None:
    con = build_tenant_city().connect()
    people = rank_people(con, AS_OF)
    hits = _network_member_hits(con, people)
    hit = set(hits["entity_id"])
    assert set(RING) <= hit
    assert not hit & set(CHAIN)


def test_a_network_that_is_not_anomalous_lends_its_members_nothing() -> None:
    people = PeopleResults()
    people.networks = pd.DataFrame({"network_id": ["NW-a", "NW-b"], "score": [12.0, 30.0],
                                    "members": ["P1;P2", "P3;P4"], "explanation": ["", ""]})
    people.network_flags = pd.DataFrame({"network_id": ["NW-a", "NW-b"],
                                         "anomalous": [True, False]})
    lent = feedback.network_members(people).set_index("member_id")["network_score"]
    assert lent.to_dict() == {"P1": 12.0, "P2": 12.0, "P3": 0.0, "P4": 0.0}
