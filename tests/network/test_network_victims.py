"""Victims are not brokers: strangers registered without the owner's consent accuse the
approving official, not the owner of the flat (the hijacked flat HF of nw_city.py)."""

from __future__ import annotations

import datetime as dt

from nw_city import AS_OF, build_city

from zonewatch.network import PeopleResults, rank_people

SETTINGS = {"flag_quantile": 0.85}


def _run(consent: str) -> PeopleResults:
    return rank_people(build_city(hijack_consent=consent).connect(), AS_OF, SETTINGS)


def test_owner_of_a_hijacked_flat_is_not_ranked_as_a_broker() -> None:
    result = _run("none")
    owners = result.owners.set_index("owner_id")
    assert "V" not in owners.index or (
        owners.at["V", "properties"] == 0 and owners.at["V", "score"] < 0.5
    )
    assert result.owners.iloc[0]["owner_id"] == "C"  # the ring is still found


def test_the_same_strangers_with_consent_make_the_owner_a_suspect() -> None:
    owners = _run("sms").owners.set_index("owner_id")
    assert owners.at["V", "properties"] == 1
    assert owners.at["V", "score"] >= 9.6
    assert "HF" in owners.at["V", "explanation"]


def test_the_approving_official_rises_instead() -> None:
    hijacked = _run("none").officials.set_index("official_id")
    consented = _run("sms").officials.set_index("official_id")
    assert "official_no_consent" in hijacked.at["F1", "indicators"]
    assert "official_no_consent" not in consented.at["F1", "indicators"]
    assert hijacked.at["F1", "score"] > consented.at["F1", "score"]


def test_an_owner_who_consented_to_strangers_answers_for_the_flat() -> None:
    for consented, share in ((1, 0.5), (2, 1.0)):
        city = build_city(hijack_consent="none")
        for r in city.rows["registrations"]:
            if r["person_id"] in {f"HS{i}" for i in range(consented)}:
                r["owner_consent"] = "sms"
        owners = rank_people(city.connect(), AS_OF, SETTINGS).owners.set_index("owner_id")
        assert owners.at["V", "properties"] == 1
        assert owners.at["V", "score"] >= 9.6 * share
        assert owners.at["V", "score"] < 9.6 * share + 0.5
        assert f"{6 - consented} strangers at HF registered without the owner's consent" in (
            owners.at["V", "explanation"])


def test_a_ring_without_consent_is_no_victim() -> None:
    city = build_city()
    for r in city.rows["registrations"]:
        if r["person_id"].startswith("RP"):
            r["owner_consent"] = "none"  # the ring's friendly official skipped consent
    owners = rank_people(city.connect(), AS_OF, SETTINGS).owners.set_index("owner_id")
    assert owners.index[0] == "C"
    assert "owner_nominee_controller" in owners.at["C", "indicators"]
    for member in ("C", "N1", "N2"):
        assert owners.at[member, "properties"] == 2
        assert "without the owner's consent" not in owners.at[member, "explanation"]
    assert "V" not in owners.index or owners.at["V", "properties"] == 0


def test_a_victim_sharing_surname_days_and_official_with_a_ring_stays_out_of_it() -> None:
    city = build_city()
    for row in city.rows["persons"]:
        if row["person_id"] in {"V", "VW"}:  # the ring's surname, no family by patronymic
            row["last_name"] = row["last_name"].replace("Васильев", "Ахметов")
    regs = city.rows["registrations"]
    busy = sorted({r["start_date"] for r in regs if r["property_id"] in {"RF0", "RF1"}
                   and r["start_date"] > AS_OF - dt.timedelta(days=700)})
    hs = [r for r in regs if r["person_id"].startswith("HS")]
    for r, day in zip(hs, busy, strict=False):  # on C's busy days, through C's official F1
        r["start_date"] = day
    result = rank_people(city.connect(), AS_OF, SETTINGS)
    owners = result.owners.set_index("owner_id")
    assert "V" not in owners.index or (
        owners.at["V", "properties"] == 0 and "owner_nominee" not in owners.at["V", "indicators"]
    )
    assert "owner_nominee_controller" in owners.at["C", "indicators"]
    assert "V" not in owners.at["C", "explanation"].split("group score")[1]
