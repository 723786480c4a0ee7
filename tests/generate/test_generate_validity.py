"""Clean rows follow the data contract; every planted broken row really breaks its rule.

The checks are written here in plain pandas/Python on purpose, independent of the
generator's and the ingest's own code.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

W2 = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]


def iin_ok(iin: str, birth: str, sex: str) -> bool:
    if len(iin) != 12 or not iin.isdigit():
        return False
    d = [int(c) for c in iin]
    s = sum(d[i] * (i + 1) for i in range(11)) % 11
    if s == 10:
        s = sum(d[i] * W2[i] for i in range(11)) % 11
    if s == 10 or s != d[11]:
        return False
    century = {1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000}.get(d[6])
    if century is None:
        return False
    if f"{century + int(iin[:2])}-{iin[2:4]}-{iin[4:6]}" != birth:
        return False
    return (d[6] % 2 == 1) == (sex == "M")


@pytest.fixture(scope="module")
def tables(small_city: Path) -> dict[str, pd.DataFrame]:
    out = {p.stem: pd.read_csv(p, dtype=str, keep_default_na=False, na_values=[""])
           for p in (small_city / "extract").glob("*.csv")}
    out["broken"] = pd.read_csv(small_city / "labels" / "broken_rows.csv", dtype=str)
    return out


def test_hand_checker_agrees_with_a_known_iin() -> None:
    # 85-03-07, male born in the 1900s; check digit worked by hand: 3*1+... = 1 mod 11
    assert iin_ok("850307300001"[:11] + str(_check("85030730000")), "1985-03-07", "M")
    assert not iin_ok("850307300001"[:11] + str((_check("85030730000") + 1) % 10),
                      "1985-03-07", "M")


def _check(first11: str) -> int:
    d = [int(c) for c in first11]
    return sum(d[i] * (i + 1) for i in range(11)) % 11


def test_clean_citizens_have_valid_iins_foreigners_none(tables: dict[str, pd.DataFrame]) -> None:
    persons = tables["persons"]
    broken = set(tables["broken"].query("table == 'persons'")["row_key"])
    clean = persons[~persons["person_id"].isin(broken)]
    citizens = clean[clean["citizenship"] == "KAZ"]
    assert len(citizens) > 1000
    bad = [r.iin for r in citizens.itertuples() if not iin_ok(r.iin, r.birth_date, r.sex)]
    assert bad == []
    foreign = clean[clean["citizenship"] != "KAZ"]
    assert set(foreign["citizenship"]) <= {"UZB", "KGZ", "TJK", "RUS", "CHN"}
    assert len(foreign) > 0 and foreign["iin"].isna().all()
    assert clean["person_id"].is_unique and clean["iin"].dropna().is_unique


def _breaks(rule: str, column: str, row: pd.Series, t: dict[str, pd.DataFrame]) -> bool:
    """Plain-logic check that `row` breaks `rule` in `column`."""
    value = row[column]
    if rule == "duplicate_key":
        table = t[row["__table"]]
        return int((table[column] == value).sum()) >= 2
    if rule == "missing_required":
        return pd.isna(value)
    if rule in ("unparseable_date",):
        return pd.isna(pd.to_datetime(value, format="%Y-%m-%d", errors="coerce"))
    if rule == "unparseable_number":
        return pd.isna(pd.to_numeric(value, errors="coerce"))
    if rule == "area_nonpositive":
        return float(value) <= 0
    if rule == "rooms_below_one":
        return float(value) < 1
    if rule == "lat_out_of_range":
        return not -90 <= float(value) <= 90
    if rule == "lon_out_of_range":
        return not -180 <= float(value) <= 180
    if rule == "share_out_of_range":
        return not 0 < float(value) <= 1
    if rule == "end_before_start":
        return row["end_date"] < row["start_date"]
    if rule == "bad_enum":
        allowed = {"sex": {"M", "F"}, "kind": {"apartment", "house", "dormitory", "hostel",
                   "social_institution", "commercial", "other", "permanent", "temporary",
                   "company", "university", "state_body", "ngo"},
                   "owner_consent": {"sms", "eds", "in_person", "document", "none",
                                     "not_required"},
                   "owner_type": {"person", "organization"},
                   "relation": {"spouse", "child", "parent", "sibling", "other"},
                   "outcome": {"violation", "no_violation", "no_access"},
                   "service": {"clinic", "school", "kindergarten", "transport", "benefit",
                               "other"}}
        return value not in allowed[column]
    if rule == "dangling_reference":
        target = {"person_id": ("persons", "person_id"), "relative_id": ("persons", "person_id"),
                  "property_id": ("properties", "property_id"),
                  "office_id": ("offices", "office_id")}
        if column == "owner_id":
            return value not in set(t["persons"]["person_id"]) | set(
                t["organizations"]["org_id"])
        tbl, col = target[column]
        return value not in set(t[tbl][col])
    if rule in ("iin_check_digit", "iin_format", "iin_birth_date_mismatch", "iin_sex_mismatch"):
        return not iin_ok(row["iin"], row["birth_date"], row["sex"])
    raise AssertionError(f"no check for rule {rule}")


KEYS = {"persons": ["person_id"], "properties": ["property_id"],
        "organizations": ["org_id"], "officials": ["official_id"],
        "registrations": ["registration_id"], "inspections": ["inspection_id"],
        "ownerships": ["property_id", "owner_id", "start_date"],
        "relations": ["person_id", "relative_id"],
        "service_events": ["person_id", "service", "event_date"]}


def test_every_broken_row_breaks_its_rule(tables: dict[str, pd.DataFrame]) -> None:
    broken = tables["broken"]
    assert len(broken) >= 30
    for b in broken.itertuples():
        table = tables[b.table]
        key = table[KEYS[b.table]].astype(str).agg("|".join, axis=1)
        rows = table[key == b.row_key]
        # a broken copy is the only row with its key, except where the key is the break
        assert len(rows) == 1 or (b.rule == "duplicate_key" and len(rows) == 2), (
            b.table, b.row_key, len(rows))
        row = rows.iloc[-1].copy()  # broken copies are appended after the clean rows
        row["__table"] = b.table
        assert _breaks(b.rule, b.column, row, tables), (b.table, b.row_key, b.rule, b.column)


def test_every_contract_rule_kind_is_planted(tables: dict[str, pd.DataFrame]) -> None:
    rules = set(tables["broken"]["rule"])
    assert {"duplicate_key", "dangling_reference", "end_before_start", "bad_enum",
            "area_nonpositive", "rooms_below_one", "lat_out_of_range", "lon_out_of_range",
            "share_out_of_range", "iin_check_digit", "iin_birth_date_mismatch",
            "iin_sex_mismatch", "missing_required", "unparseable_date",
            "unparseable_number"} <= rules


def test_clean_rows_respect_ranges_and_references(tables: dict[str, pd.DataFrame]) -> None:
    broken = tables["broken"].query("rule != 'duplicate_key'")
    props = tables["properties"][~tables["properties"]["property_id"].isin(
        broken.query("table == 'properties'")["row_key"])].drop_duplicates("property_id")
    area = pd.to_numeric(props["area_m2"])
    assert (area > 0).all() and (pd.to_numeric(props["rooms"]) >= 1).all()
    reg = tables["registrations"][~tables["registrations"]["registration_id"].isin(
        broken.query("table == 'registrations'")["row_key"])]
    assert reg["person_id"].isin(tables["persons"]["person_id"]).all()
    assert reg["property_id"].isin(props["property_id"]).all()
    ended = reg.dropna(subset=["end_date"])
    assert (ended["end_date"] >= ended["start_date"]).all()
    egov = reg[reg["channel"] == "egov"]
    assert egov["office_id"].isna().all() and egov["official_id"].isna().all()
    hours = pd.to_datetime(reg.loc[reg["channel"] == "psc", "processed_at"]).dt.hour
    assert 0.8 < hours.between(9, 17).mean() < 1.0  # mostly, not only, working hours


def test_nothing_happens_after_the_as_of_date_except_planned_ends(
        tables: dict[str, pd.DataFrame]) -> None:
    as_of = "2026-11-01"
    broken = tables["broken"]
    reg = tables["registrations"][~tables["registrations"]["registration_id"].isin(
        broken.query("table == 'registrations'")["row_key"])]
    assert (reg["start_date"] <= as_of).all()
    assert (reg["processed_at"].str[:10] <= as_of).all()
    late_end = reg[reg["end_date"].notna() & (reg["end_date"] > as_of)]
    assert len(late_end) > 0 and (late_end["kind"] == "temporary").all()
    events = tables["service_events"]["event_date"]
    assert events.max() == as_of  # the extract's latest recorded date is its as-of date
    assert (tables["inspections"]["inspected_on"] < as_of).all()


def test_families_have_consistent_names(tables: dict[str, pd.DataFrame]) -> None:
    persons = tables["persons"].drop_duplicates("person_id").set_index("person_id")
    rel = tables["relations"]
    rel = rel[rel["person_id"].isin(persons.index) & rel["relative_id"].isin(persons.index)]
    a = persons.loc[rel["person_id"]].reset_index()
    b = persons.loc[rel["relative_id"]].reset_index()
    kind = rel["relation"].to_numpy()
    # a father's sons and daughters carry his first name in their patronymic
    father = (kind == "child") & (a["sex"] == "M").to_numpy() & b["patronymic"].notna().to_numpy()
    stems = a.loc[father, "first_name"].str[:-1].to_numpy()
    kids = b.loc[father, "patronymic"].to_numpy()
    assert father.sum() > 100
    assert sum(k.startswith(s) for k, s in zip(kids, stems, strict=True)) / father.sum() > 0.95
    # a wife mostly takes the female form of her husband's surname
    couple = (kind == "spouse") & (a["sex"] == "M").to_numpy()
    husband = a.loc[couple, "last_name"].to_numpy()
    wife = b.loc[couple, "last_name"].to_numpy()
    same = [w == h or w == h + "а" or (h.endswith("ий") and w == h[:-2] + "ая")
            for h, w in zip(husband, wife, strict=True)]
    assert couple.sum() > 50 and 0.75 < sum(same) / len(same) < 1.0


def test_iins_stay_valid_and_unique_when_many_share_a_birthday() -> None:
    import numpy as np

    from zonewatch.generate.iin import make_iins

    birth = np.array(["1990-05-17"] * 1200 + ["2004-02-29"] * 300, dtype="datetime64[D]")
    male = np.arange(1500) % 2 == 0
    iins = [x.decode() for x in make_iins(birth, male, np.random.default_rng(3), chunk=400)]
    assert len(set(iins)) == 1500
    assert all(iin_ok(i, str(b), "M" if m else "F") for i, b, m in zip(iins, birth, male,
                                                                     strict=True))
