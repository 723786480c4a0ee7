"""Golden tests of rank_people on the tiny hand-made city in conftest.py."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest
from nw_city import AS_OF, City

from zonewatch.network import MissingInput, PeopleResults, input_names, rank_people
from zonewatch.network.results import (
    EVIDENCE_COLUMNS,
    NETWORK_COLUMNS,
    OFFICE_COLUMNS,
    OFFICIAL_COLUMNS,
    OWNER_COLUMNS,
)

RING_FLATS = {f"RF{i}" for i in range(6)}
SETTINGS = {"flag_quantile": 0.85}


@pytest.fixture
def result(city: City) -> PeopleResults:
    return rank_people(city.connect(), AS_OF, SETTINGS)


def test_frames_have_the_contract_columns(result: PeopleResults) -> None:
    assert list(result.owners.columns) == OWNER_COLUMNS
    assert list(result.officials.columns) == OFFICIAL_COLUMNS
    assert list(result.offices.columns) == OFFICE_COLUMNS
    assert list(result.networks.columns) == NETWORK_COLUMNS
    assert list(result.evidence.columns) == EVIDENCE_COLUMNS
    for frame in (result.owners, result.officials, result.offices):
        assert frame["rank"].tolist() == list(range(1, len(frame) + 1))
        assert frame["score"].is_monotonic_decreasing


def test_ring_is_one_network_with_its_owners_and_official(result: PeopleResults) -> None:
    members = [set(m.split(";")) for m in result.networks["members"]]
    ring = [m for m in members if m & RING_FLATS]
    assert len(ring) == 1
    assert RING_FLATS | {"C", "N1", "N2", "F1"} <= ring[0]
    assert not ring[0] & {"LF0", "DORM", "U", "L", "F2", "F3"}
    top = result.networks.iloc[0]
    assert set(top["members"].split(";")) == ring[0]
    assert "6 flats (6 flagged) held by 3 owners; 36 of their 38 registrants" in top["explanation"]
    assert "approved by official F1" in top["explanation"]
    assert "2 owners tied to owner C as nominees (2 by family)" in top["explanation"]


def test_network_id_is_a_hash_of_sorted_members(city: City, result: PeopleResults) -> None:
    again = rank_people(city.connect(), AS_OF, SETTINGS)
    assert again.networks["network_id"].tolist() == result.networks["network_id"].tolist()
    top = result.networks.iloc[0]
    digest = hashlib.sha1(";".join(sorted(top["members"].split(";"))).encode()).hexdigest()
    assert top["network_id"] == f"NW-{digest[:12]}"


def test_controller_ranks_first_and_nominees_point_to_him(result: PeopleResults) -> None:
    owners = result.owners.set_index("owner_id")
    assert result.owners.iloc[0]["owner_id"] == "C"
    assert "owner_nominee_controller" in owners.at["C", "indicators"]
    assert owners.at["C", "properties"] == 2
    for nominee in ("N1", "N2"):
        assert "owner_nominee" in owners.at[nominee, "indicators"].split(";")
        assert "nominee of C" in owners.at[nominee, "explanation"]
        assert owners.at[nominee, "score"] < owners.at["C", "score"]


def test_landlord_and_university_are_not_brokers(result: PeopleResults) -> None:
    owners = result.owners.set_index("owner_id")
    assert "U" not in owners.index  # the dormitory's owner is a legitimate hub
    if "L" in owners.index:
        assert owners.at["L", "properties"] == 0
        assert owners.at["L", "rank"] > owners.at["N1", "rank"]
    members = ";".join(result.networks["members"]).split(";")
    assert not {"DORM", "U", "L", "LF0", "LF1"} & set(members)


def test_deviant_official_outranks_one_with_few_lucky_approvals(result: PeopleResults) -> None:
    officials = result.officials.set_index("official_id")
    assert result.officials.iloc[0]["official_id"] == "F1"
    assert officials.at["F1", "office_id"] == "O1"
    assert "official_flagged_share" in officials.at["F1", "indicators"]
    # F4: two of three approvals to ring flats (67%) but only three approvals
    assert "official_flagged_share" not in officials.at["F4", "indicators"]
    assert officials.at["F4", "score"] < officials.at["F1", "score"]
    assert "2 of 3 approvals" in officials.at["F4", "explanation"]


def test_yaml_indicators_flag_consent_and_hours(result: PeopleResults) -> None:
    """The runner's hits (indicator_hits) add to the officials' indicators; only the
    rows the runner lacks are the network room's evidence."""
    fired = result.officials.set_index("official_id")["indicators"].str.split(";")
    assert {"official_no_consent", "official_out_of_hours"} <= set(fired["F1"])
    yaml_ids = {"official_no_consent", "official_out_of_hours", "official_volume_jump"}
    assert not any(yaml_ids & set(ids) for ids in fired.drop("F1"))
    assert not yaml_ids & set(result.evidence["indicator_id"])


def test_occupancy_only_extract_gives_empty_frames(city: City) -> None:
    con = city.load(drop=("persons", "registrations", "ownerships"))  # nothing to hand over
    con.execute("CREATE TABLE occupancy (property_id VARCHAR, as_of DATE, registered BIGINT, "
                "source VARCHAR)")
    result = rank_people(con, AS_OF, SETTINGS)
    assert result.skipped and "registrations" in result.skipped[0]
    assert list(result.owners.columns) == OWNER_COLUMNS and result.owners.empty
    assert list(result.networks.columns) == NETWORK_COLUMNS and result.networks.empty
    assert result.officials.empty and result.offices.empty and result.evidence.empty


def test_without_ownerships_owners_are_skipped_but_officials_run(city: City) -> None:
    result = rank_people(city.connect(drop=("ownerships",)), AS_OF, SETTINGS)
    assert result.owners.empty
    assert any("ownerships" in s for s in result.skipped)
    assert result.officials.iloc[0]["official_id"] == "F1"


def test_unknown_setting_is_a_clear_error(city: City) -> None:
    with pytest.raises(ValueError, match="unknown setting flag_quantle; known: flag_quantile"):
        rank_people(city.connect(), AS_OF, {"flag_quantle": 0.9})
    with pytest.raises(ValueError, match="parent_age_gap is now kinship.parent_age_gap"):
        rank_people(city.connect(), AS_OF, {"parent_age_gap": [14, 55]})


def test_owner_household_churn_spares_the_landlord(result: PeopleResults) -> None:
    fired = result.owners.set_index("owner_id")["indicators"].fillna("")
    churn = {o for o, ids in fired.items() if "owner_stranger_households" in ids.split(";")}
    assert {"C", "N1", "N2"} <= churn
    assert not churn & {"L", "U"}
    owners = result.owners.set_index("owner_id")
    assert "unrelated households" in owners.at["C", "explanation"]


def test_read_only_database_is_ranked_without_writing(city: City, tmp_path) -> None:
    import duckdb

    path = tmp_path / "city.duckdb"
    mem = city.connect(temporary=False)  # the analysis' inputs in the file, as analyze leaves
    mem.execute(f"ATTACH '{path}' AS f")
    mem.execute("COPY FROM DATABASE memory TO f")
    mem.close()
    con = duckdb.connect(str(path), read_only=True)
    result = rank_people(con, AS_OF, SETTINGS)
    assert "official_no_consent" in result.officials.set_index("official_id").at["F1",
                                                                              "indicators"]
    assert result.officials.iloc[0]["official_id"] == "F1"
    assert result.owners.iloc[0]["owner_id"] == "C"


def test_empty_registrations_and_zero_scores_give_empty_results(city: City) -> None:
    city.rows["registrations"] = []
    city.scores = dict.fromkeys(city.scores, 0.0)
    result = rank_people(city.connect(), AS_OF, SETTINGS)
    assert result.networks.empty and result.officials.empty and result.offices.empty
    assert result.owners.empty  # nothing flagged, nothing scored
    assert any("no approvals" in s for s in result.skipped)
    assert list(result.owners.columns) == OWNER_COLUMNS


def test_without_flagged_properties_only_movement_beyond_chance_links(city: City) -> None:
    """Nothing is flagged, so no owner is tied; in a city of 50 flats the ring's 36 movers
    are most of the movement there is, so they cannot be told from ordinary mobility
    (test_network_tenants shows a ring found by movement alone in a bigger city)."""
    city.scores = dict.fromkeys(city.scores, 0.0)
    result = rank_people(city.connect(), AS_OF, SETTINGS)
    for text in result.networks["explanation"]:
        assert "(0 flagged)" in text
    assert not result.network_flags["anomalous"].astype(bool).any()
    # the consent and out-of-hours indicators still single out F1
    assert result.officials.iloc[0]["official_id"] == "F1"


def test_each_network_has_an_evidence_row(result: PeopleResults) -> None:
    ev = result.evidence[result.evidence["entity_type"] == "network"]
    assert ev["entity_id"].tolist() == result.networks["network_id"].tolist()
    assert set(ev["indicator_id"]) == {"broker_network"}
    assert ev.iloc[0]["value"] == 36  # people who moved among the ring's flats


def test_the_runners_indicator_hits_are_taken_as_they_are(city: City) -> None:
    """An indicator_hits table without official rows (e.g. the user disabled them) is
    trusted: the YAML official indicators are not re-run behind the user's back."""
    con = city.connect()
    con.execute("CREATE OR REPLACE TABLE indicator_hits (entity_type VARCHAR, "
                "entity_id VARCHAR, "
                "indicator_id VARCHAR, value DOUBLE, threshold DOUBLE, score DOUBLE, "
                "evidence VARCHAR)")
    result = rank_people(con, AS_OF, SETTINGS)
    officials = result.officials.set_index("official_id")
    assert officials.at["F1", "indicators"] == "official_flagged_share"
    assert "official_no_consent" not in set(result.evidence["indicator_id"])


def test_an_official_without_a_known_office_is_ranked_with_a_null_office(city: City) -> None:
    con = city.connect(drop=("officials",))
    con.execute("UPDATE registrations SET office_id = NULL WHERE official_id = 'F4'")
    result = rank_people(con, AS_OF, SETTINGS)
    officials = result.officials.set_index("official_id")
    assert pd.isna(officials.at["F4", "office_id"])
    assert officials.at["F1", "office_id"] == "O1"
    assert result.offices["office_id"].tolist() == ["O1"]
    assert result.offices["rank"].tolist() == [1]


@pytest.mark.parametrize("missing", [{"C"}, {"C", "N1", "N2"}])
def test_null_patronymics(city: City, missing: set[str]) -> None:
    """The contract allows null patronymics (read back as NaN next to real ones)."""
    for row in city.rows["persons"]:
        if row["person_id"] in missing:
            row["patronymic"] = None
    result = rank_people(city.connect(), AS_OF, SETTINGS)
    assert result.owners.iloc[0]["owner_id"] in {"C", "N1", "N2"}
    assert "owner_nominee_controller" in ";".join(result.owners["indicators"])
    assert any(RING_FLATS <= set(m.split(";")) for m in result.networks["members"])


def test_a_property_without_any_fired_indicator_is_not_flagged(city: City) -> None:
    city.unfired = {"RF5"}  # N2's second flat: top score, but only from a tie-break term
    owners = rank_people(city.connect(), AS_OF, SETTINGS).owners.set_index("owner_id")
    assert owners.at["N2", "properties"] == 1
    assert owners.at["N1", "properties"] == 2


@pytest.mark.parametrize("name", input_names())
def test_a_missing_input_is_an_error_naming_it_and_its_builder(city: City, name: str) -> None:
    """The analysis -> network interface (network/inputs.yaml): no fallback for a table
    the analysis should have built."""
    con = city.connect()
    con.execute(f"DROP TABLE {name}")
    with pytest.raises(MissingInput, match=f"table {name} .*built by"):
        rank_people(con, AS_OF, SETTINGS)


def test_a_missing_input_column_is_an_error(city: City) -> None:
    con = city.connect()
    con.execute("CREATE OR REPLACE TEMP TABLE zw_member_flags AS "
                "SELECT property_id, person_id, is_owner FROM zw_member_flags")
    with pytest.raises(MissingInput, match=r"zw_member_flags lacks column\(s\) \['owner_family'\]"):
        rank_people(con, AS_OF, SETTINGS)
