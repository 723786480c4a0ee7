"""Households, births and weak single cases: the fixes from the unseen-city diagnosis."""

from __future__ import annotations

import pytest
from golden_extract import AS_OF

from zonewatch.engine import DuckDBBackend
from zonewatch.indicators import load_indicators, run_indicators
from zonewatch.indicators.settings import indicator_settings


def _base(con, column: str) -> dict[str, object]:
    return dict(con.execute(f"SELECT property_id, {column} FROM zw_property_base").fetchall())


def test_stranger_households_count_families_not_persons(golden_run):
    _, con = golden_run
    households = _base(con, "stranger_households")
    assert households["SMALLRUBBER"] == 2  # two couples, 4 people
    assert households["LODGER"] == 1
    assert households["NEWBORN"] == 1  # a tenant family with its baby is one household
    assert households["BIGFAMILY"] == 0
    assert households["MARRIEDDAUGHTER"] == 1  # the daughter's husband is family; the lodger not
    by_person = con.execute(
        "SELECT count(DISTINCT household) FROM zw_households WHERE property_id = "
        "'MARRIEDDAUGHTER' AND is_registrant = 1 AND is_owner = 0 AND owner_family = 0"
    ).fetchone()[0]
    assert by_person == 2  # person by person, the husband looks like a stranger


def test_family_share_does_not_count_a_second_family_of_strangers(golden_run):
    _, con = golden_run
    share = _base(con, "family_share")
    assert share["BIGFAMILY"] == 1.0
    assert share["NEWBORN"] == 1.0  # the only household there, although not the owner's
    assert share["SMALLRUBBER"] == pytest.approx(3 / 7)  # only the owner's family of 3
    assert share["RENTED0"] == 0.0  # two single tenants


def test_a_birth_is_not_a_new_registrant(golden_run):
    _, con = golden_run
    fresh = _base(con, "new_since_norm")
    assert fresh["NEWBORN"] == 0
    assert fresh["RUBBER"] == 13


def test_stranger_households_explains_the_free_places(golden_run):
    run, _ = golden_run
    hits = run.hits[run.hits["indicator_id"] == "stranger_households"].set_index("entity_id")
    row = hits.loc["SMALLRUBBER"]
    assert (row["value"], row["threshold"]) == (2, 1)
    assert row["evidence"].startswith(
        "2 households outside the owner's family (2 of them families) among 7")
    assert "allows 2 people, 3 of them the owner's family" in row["evidence"]


def _rerun(con, indicator_id: str, params: dict) -> set[str]:
    settings = indicator_settings({"params": {indicator_id: params}})
    ind = next(i for i in load_indicators() if i.id == indicator_id)
    tables = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    run = run_indicators(DuckDBBackend(con=con), [ind], tables, AS_OF, settings)
    return set(run.hits["entity_id"])


def test_single_person_gates_are_what_spares_the_lookalikes(golden_run):
    _, con = golden_run
    # the look-alikes are real ones: with the old single-person gates they fire
    assert "SPOUSEAWAY" in _rerun(con, "services_elsewhere", {"min_persons": 1})
    assert "CARETAKER" in _rerun(con, "commercial_registrations", {"min_registered": 1})
    assert "CONVEYOR" not in _rerun(con, "turnover", {"min_short_households": 100})


def test_turnover_strength_grows_with_short_stay_households(golden_run):
    run, _ = golden_run
    hits = run.hits[run.hits["indicator_id"] == "turnover"].set_index("entity_id")
    assert "9 households outside the owner's family" in hits.loc["CONVEYOR", "evidence"]
    assert hits.loc["TURNOVER", "strength"] > 0.5
    assert 0.5 < hits.loc["CONVEYOR", "strength"] < 1


def test_services_elsewhere_counts_the_whole_household(golden_run):
    run, _ = golden_run
    hits = run.hits[run.hits["indicator_id"] == "services_elsewhere"].set_index("entity_id")
    away, family = hits.loc["AWAYFAMILY"], hits.loc["SERVICES"]
    assert away["value"] == 3  # the family of three, seen through the mother
    assert "3 people in 1 household(s) live elsewhere" in away["evidence"]
    assert family["strength"] > away["strength"]  # four witnesses beat one


def test_stranger_households_leaves_single_strangers_to_unrelated_registrants(golden_run):
    run, con = golden_run
    flagged = set(run.hits[run.hits["indicator_id"] == "stranger_households"]["entity_id"])
    assert "RUBBER" not in flagged  # 12 single strangers: unrelated_registrants' case
    assert "RUBBER" in _rerun(con, "stranger_households", {"min_families": 0})


def test_a_patronymic_is_a_parent_tie_only_at_a_parent_s_age(tmp_path):
    from golden_extract import City, evaluate

    c = City()
    for i, born in enumerate(("1954-02-20", "1974-02-20", "2010-02-20")):
        flat = c.prop(f"NAMESAKE{i}", 40)
        owner = c.person("Новиков", "Даурен", "Ильясович", born=born)
        c.own(flat, owner)
        c.reg(owner, flat, "2008-10-12", consent="not_required")
        mother = c.person("Думанова", "Алия", "Кирилловна", born="1980-06-12", sex="F")
        girl = c.person("Думанова", "Томирис", "Дауреновна", born="2018-07-03", sex="F")
        for p in (mother, girl):
            c.reg(p, flat, "2025-11-18")
    _, con = evaluate(c.write(tmp_path / "extract"), tmp_path / "n.duckdb")
    try:
        family = dict(con.execute(
            "SELECT property_id, count_if(owner_family = 1) FROM zw_member_flags "
            "GROUP BY property_id").fetchall())
    finally:
        con.close()
    assert family["NAMESAKE0"] == 0  # a 'father' 64 years older: a namesake, no family
    assert family["NAMESAKE1"] == 1  # 44 years older: the girl may be his daughter
    assert family["NAMESAKE2"] == 0  # 8 years older: no parent


def test_who_moved_in_with_the_owner_is_the_owner_s_household(tmp_path):
    from golden_extract import City, evaluate

    c = City()
    for name, wife_from, batch in (("TOGETHER", "2012-04-02", 0), ("LATER", "2019-09-09", 0),
                                   ("BATCH", "2012-04-01", 10)):
        flat = c.prop(name, 70)
        owner = c.person("Бекмуханов", "Ерлан", "Какенович", born="1975-01-01")
        c.own(flat, owner)
        c.reg(owner, flat, "2012-04-01", consent="not_required")
        wife = c.person("Сарсенова", "Алия", "Бековна", born="1980-03-03", sex="F")
        c.reg(wife, flat, wife_from, consent="not_required")
        c.strangers(flat, batch, "2012-04-02")  # an owner registering a batch with himself
    _, con = evaluate(c.write(tmp_path / "extract"), tmp_path / "w.duckdb")
    try:
        family = dict(con.execute(
            "SELECT f.property_id, f.owner_family FROM zw_member_flags f JOIN persons p "
            "ON p.person_id = f.person_id WHERE p.last_name = 'Сарсенова'").fetchall())
        batch = con.execute("SELECT exempt FROM zw_property_base WHERE property_id = 'BATCH'"
                            ).fetchone()[0]
    finally:
        con.close()
    assert family == {"TOGETHER": 1, "LATER": 0, "BATCH": 0}  # a day apart: one household
    assert batch == 1  # only the owner: eleven arrivals with him are no household
