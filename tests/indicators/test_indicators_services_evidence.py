"""services_elsewhere: strength grows with how complete the evidence of living elsewhere is."""

from __future__ import annotations

from golden_extract import AS_OF

from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, run_indicators
from zonewatch.indicators.settings import indicator_settings


def _strengths(con, params: dict | None = None) -> dict[str, float]:
    settings = indicator_settings({"params": {"services_elsewhere": params or {}}})
    ind = next(i for i in load_indicators() if i.id == "services_elsewhere")
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    run = run_indicators(DuckDBBackend(con=con), [ind], tables, AS_OF, settings)
    return dict(zip(run.hits["entity_id"], run.hits["strength"], strict=True))


PLAIN = {"corroboration": 0, "whole_address_gain": 0}


def test_repeated_visits_elsewhere_strengthen_but_fire_nothing_new(golden_run):
    _, con = golden_run
    plain, full = _strengths(con, PLAIN), _strengths(con, {"whole_address_gain": 0})
    assert set(full) == set(plain)
    assert full["SERVICES"] > plain["SERVICES"]  # four people, three clinic visits each
    assert full["AWAYFAMILY"] == plain["AWAYFAMILY"]  # one visit by one member: nothing more


def _member(con, flat: str) -> tuple[str, str]:
    """A registrant of `flat` with no residence-tied events, and the flat's district."""
    return con.execute(
        "SELECT r.person_id, b.district FROM registrations r "
        "JOIN zw_property_base b ON b.property_id = r.property_id "
        "WHERE r.property_id = ? AND r.person_id NOT IN (SELECT person_id FROM service_events) "
        "ORDER BY r.person_id LIMIT 1", [flat]).fetchone()


def _with_transport(con, person: str, districts: list[str]) -> float:
    con.execute("BEGIN TRANSACTION")
    try:
        for i, district in enumerate(districts):
            con.execute("INSERT INTO service_events (person_id, service, district, event_date) "
                        "VALUES (?, 'transport', ?, ?)", [person, district, f"2026-0{i + 5}-02"])
        return _strengths(con, {"whole_address_gain": 0})["AWAYFAMILY"]
    finally:
        con.execute("ROLLBACK")


def test_transport_only_elsewhere_corroborates_and_one_ride_at_home_undoes_it(golden_run):
    _, con = golden_run
    person, home = _member(con, "AWAYFAMILY")
    away = "D9" if home != "D9" else "D8"
    before = _strengths(con, {"whole_address_gain": 0})["AWAYFAMILY"]
    assert _with_transport(con, person, [away, away]) > before
    assert _with_transport(con, person, [away, home]) == before


def test_a_whole_address_of_people_living_elsewhere_is_stronger(golden_run):
    _, con = golden_run
    registered = dict(con.execute(
        "SELECT property_id, registered FROM zw_property_base").fetchall())
    persons = dict(con.execute(
        "SELECT r.property_id, count(*) FROM registrations r JOIN zw_member_flags f "
        "ON f.property_id = r.property_id AND f.person_id = r.person_id "
        "WHERE f.is_owner = 0 AND f.owner_family = 0 GROUP BY ALL").fetchall())
    plain, gained = _strengths(con, PLAIN), _strengths(con, {"corroboration": 0})
    whole = {p for p in plain if persons[p] >= registered[p]}
    assert "SERVICES" in whole  # the owner is not registered at his flat
    for p in plain:
        assert (gained[p] > plain[p]) == (p in whole)
        assert gained[p] <= 1.0
