"""The generated city's labels agree with its extract, and the planted structures exist."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

AS_OF = "2026-11-01"
FRAUD_KINDS = {"mass_registration", "nominee_ring", "conveyor", "commercial",
               "services_elsewhere"}
LOOKALIKES = {"dormitory", "hostel", "nursing_home", "large_family", "landlord", "new_building"}


def read(city: Path, name: str, where: str = "extract") -> pd.DataFrame:
    return pd.read_csv(city / where / f"{name}.csv", dtype=str, keep_default_na=False,
                       na_values=[""])


@pytest.fixture(scope="module")
def city(small_city: Path) -> dict[str, pd.DataFrame]:
    tables = {n: read(small_city, n) for n in (
        "persons", "properties", "ownerships", "organizations", "offices", "officials",
        "relations", "registrations", "inspections", "service_events")}
    for n in ("property_labels", "owner_labels", "official_labels", "rings", "broken_rows"):
        tables[n] = read(small_city, n, "labels")
    broken = tables["broken_rows"]
    for name in ("persons", "properties", "registrations", "organizations"):
        keys = set(broken.loc[broken["table"] == name, "row_key"])
        df = tables[name]
        tables[f"clean_{name}"] = df[~df.iloc[:, 0].isin(keys)]
    return tables


def registered_on(reg: pd.DataFrame, day: str) -> pd.Series:
    on = (reg["start_date"] <= day) & (reg["end_date"].isna() | (reg["end_date"] > day))
    return reg[on].groupby("property_id").size()


def test_labels_only_name_ids_that_exist(city: dict[str, pd.DataFrame]) -> None:
    props = set(city["properties"]["property_id"])
    owners = set(city["persons"]["person_id"]) | set(city["organizations"]["org_id"])
    officials = set(city["officials"]["official_id"])
    assert set(city["property_labels"]["property_id"]) <= props
    assert set(city["owner_labels"]["owner_id"]) <= owners
    assert set(city["official_labels"]["official_id"]) <= officials
    for ring in city["rings"].itertuples():
        assert set(ring.property_ids.split(";")) <= props
        assert set(ring.owner_ids.split(";")) <= owners
        assert set(ring.official_ids.split(";")) <= officials


def test_labels_stay_out_of_the_extract(small_city: Path) -> None:
    names = {p.stem for p in (small_city / "extract").iterdir()}
    assert not names & {"property_labels", "owner_labels", "official_labels", "rings",
                        "broken_rows", "summary"}


def test_every_fraud_kind_and_lookalike_is_planted(city: dict[str, pd.DataFrame]) -> None:
    labels = city["property_labels"]
    assert set(labels["fraud_kind"].dropna()) == FRAUD_KINDS
    assert set(labels["lookalike"].dropna()) == LOOKALIKES
    fraud = labels[labels["is_fraud"] == "true"]
    assert fraud["fraud_kind"].notna().all()
    assert (labels.loc[labels["is_fraud"] == "false", "lookalike"].notna()).all()
    assert not (set(fraud["property_id"]) & set(city["broken_rows"]["row_key"]))


def test_fraud_sizes_are_spread_so_no_threshold_catches_all(city: dict[str, pd.DataFrame]) -> None:
    counts = registered_on(city["clean_registrations"], AS_OF)
    labels = city["property_labels"].set_index("property_id")
    n = labels.join(counts.rename("n")).fillna({"n": 0})
    by_kind = n.groupby("fraud_kind")["n"]
    assert by_kind.min()["mass_registration"] >= 6
    ring = n[n["fraud_kind"] == "nominee_ring"]["n"]
    assert ring.median() <= 10  # moderately overfull, not mass registration
    assert by_kind.median()["services_elsewhere"] <= 6
    # look-alikes outnumber some fraud: a dormitory has more registrants than any ring flat
    assert n[n["lookalike"] == "dormitory"]["n"].max() > ring.max()


def test_conveyor_flats_turn_over_many_people(city: dict[str, pd.DataFrame]) -> None:
    reg = city["clean_registrations"]
    labels = city["property_labels"]
    conveyor = labels.loc[labels["fraud_kind"] == "conveyor", "property_id"]
    ever = reg[reg["property_id"].isin(conveyor)].groupby("property_id").size()
    now = registered_on(reg, AS_OF).reindex(conveyor).fillna(0)
    assert (ever.reindex(conveyor) > 3 * now.clip(lower=1)).all()


def test_ring_controller_owns_a_ring_flat_and_nominees_are_linked(
        city: dict[str, pd.DataFrame]) -> None:
    own = city["ownerships"]
    persons = city["persons"].drop_duplicates("person_id").set_index("person_id")
    rel = city["relations"]
    declared = set(zip(rel["person_id"], rel["relative_id"], strict=True))
    linked = total = 0
    for ring in city["rings"].itertuples():
        flats = ring.property_ids.split(";")
        owned = set(own.loc[own["property_id"].isin(flats), "owner_id"])
        assert ring.controller_id in owned
        assert 3 <= len(flats) <= 8
        boss = persons.loc[ring.controller_id]
        for nominee in ring.owner_ids.split(";")[1:]:
            assert nominee in owned
            who = persons.loc[nominee]
            total += 1
            linked += ((ring.controller_id, nominee) in declared
                       or who["last_name"] == boss["last_name"])
    assert total and linked / total >= 0.5


def test_owner_and_official_labels(city: dict[str, pd.DataFrame]) -> None:
    owners = city["owner_labels"]
    assert owners["owner_id"].is_unique
    role = dict(zip(owners["owner_id"], owners["role"], strict=True))
    for ring in city["rings"].itertuples():
        members = ring.owner_ids.split(";")
        assert members[0] == ring.controller_id and role[ring.controller_id] == "controller"
        assert all(role[m] == "nominee" for m in members[1:])
    assert set(owners["role"]) == {"controller", "nominee", "fraud_owner"}
    assert (owners.loc[owners["fraud_kind"] == "commercial", "owner_type"] == "organization").all()
    reg = city["clean_registrations"]
    corrupt = set(city["official_labels"]["official_id"])
    fraud_props = set(city["property_labels"].query("is_fraud == 'true'")["property_id"])
    fraud_reg = reg[reg["property_id"].isin(fraud_props)]
    by_corrupt = fraud_reg["official_id"].isin(corrupt).mean()
    legit_by_corrupt = reg[~reg["property_id"].isin(fraud_props)]["official_id"].isin(
        corrupt).mean()
    assert by_corrupt > 0.4 > legit_by_corrupt


def test_summary_counts_match_files(small_city: Path, city: dict[str, pd.DataFrame]) -> None:
    summary = json.loads((small_city / "labels" / "summary.json").read_text())
    for table, rows in summary["tables"].items():
        assert rows == len(city[table]), table
    assert summary["seed"] == 7 and summary["as_of"] == AS_OF
    assert 3500 <= summary["persons"] <= 4500



def test_households_move_away_unregistered_but_institutions_do_not() -> None:
    """Some households leave without deregistering (their services move with them); a
    nursing home or dormitory does not empty itself into another district."""
    from zonewatch.generate.housing import APARTMENT, SOCIAL
    from zonewatch.generate.observations import service_events
    from zonewatch.generate.state import LEGIT, NAT, City

    n_props, per_prop = 400, 10
    city = City(rng=np.random.default_rng(3), as_of=np.datetime64("2026-11-01"),
                n_persons=n_props * per_prop, names=None,
                district_names=[f"D{i}" for i in range(8)])
    kind = np.where(np.arange(n_props) % 2 == 0, APARTMENT, SOCIAL)
    district = np.arange(n_props) % 8
    prop = np.repeat(np.arange(n_props), per_prop)
    persons = {"home": district[prop].astype(np.int8),
               "birth": np.full(len(prop), np.datetime64("1950-01-01"))}
    reg = {"person": np.arange(len(prop)), "prop": prop,
           "start": np.full(len(prop), np.datetime64("2010-01-01")),
           "end": np.full(len(prop), NAT), "regime": np.full(len(prop), LEGIT)}
    service_events(city, persons, reg, {"kind": kind})
    ev = city.final["service_events"]
    resident = ev["service"] != 3  # transport roams the whole city
    at_home = ev["district"] == district[prop[ev["person"]]]
    in_institution = kind[prop[ev["person"]]] == SOCIAL
    assert (at_home | ~resident)[in_institution].all()
    assert not (at_home | ~resident)[~in_institution].all()  # some flats' families moved
