"""Build one unseen city end to end and write its extract and labels.

`build(out, persons, seed, scenario=None)` writes `out/extract/<table>.csv` (the data contract) and
`out/labels/` (property_labels, owner_labels, official_labels, rings, summary.json, and the
truth behind field checks: registration_truth.csv, one row per registration with whether it
is fictitious). A Scenario (unseen/scenario.py) sets every assumption; without one the
historical city is built. A scenario with coverage `none` writes no service_events table.
Police inspections go to the addresses with most registrants, as raids do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pandas as pd

from unseen.buildings import choose, load_buildings
from unseen.city import AS_OF, City, add_offices, split_flats
from unseen.families import landlords, populate
from unseen.fraud import corrupt_officials, plant
from unseen.people import PersonFactory
from unseen.scenario import Scenario, to_json
from unseen.tenants import move

RAID_DAY = AS_OF - dt.timedelta(days=170)


def registered_on(regs: pd.DataFrame, day: dt.date) -> pd.DataFrame:
    """Registrations active on a day (contract: start <= day < end or end null)."""
    d = day.isoformat()
    return regs[(regs["start_date"] <= d) & (regs["end_date"].isna() | (regs["end_date"] > d))]


def raids(city: City, regs: pd.DataFrame) -> None:
    """Inspect the properties with most registrants on the raid day; record what was found."""
    rng = city.rng
    active = registered_on(regs, RAID_DAY)
    active = active.assign(fake=active["person_id"].isin(city.fake))
    per = active.groupby("property_id").agg(n=("person_id", "size"), fake=("fake", "sum"))
    top = per.sort_values("n", ascending=False).head(int(len(city.properties)
                                                         * city.sc.raid_share))
    for i, (prop, row) in enumerate(top.iterrows()):
        day = RAID_DAY + dt.timedelta(days=rng.randrange(8))
        rec = {"inspection_id": f"I{i + 1:05d}", "property_id": prop,
               "inspected_on": day.isoformat(), "outcome": "no_access", "persons_found": None,
               "fictitious_count": None, "brokering": None, "notes": None}
        if rng.random() > city.sc.no_access:
            fake = int(row["fake"]) if prop in city.fraud_kind else 0
            rec.update(outcome="violation" if fake else "no_violation",
                       persons_found=int(row["n"]) - fake, fictitious_count=fake,
                       brokering=bool(fake and rng.random() < 0.5))
        city.inspections.append(rec)


def everyday_services(city: City) -> None:
    """Some residents (a fifth historically) used a clinic, school or transport where they
    live."""
    for person, prop in city.home.items():
        if city.rng.random() < city.sc.everyday:
            city.services(person, city.district_of[prop],
                          prop if city.rng.random() < 0.5 else None, city.rng.randint(1, 3),
                          ("clinic", "school", "transport", "kindergarten"))


def institutions(buildings: pd.DataFrame, sc: Scenario, seed: int) -> pd.DataFrame:
    """Turn some small real blocks of flats into one worker hostel or nursing home each."""
    n = sc.hostels + sc.nursing_homes
    small = buildings[(buildings["kind"] == "block") & buildings["apts"].between(8, 120)]
    if not n or small.empty:
        return buildings
    picked = small.sample(n=min(n, len(small)), random_state=seed).index
    buildings = buildings.copy()
    kinds = ["hostel"] * sc.hostels + ["social_institution"] * sc.nursing_homes
    buildings.loc[picked, "kind"] = kinds[: len(picked)]
    return buildings


def build(out: Path, persons: int, seed: int, fraud_scale: float = 1.0,
          scenario: Scenario | None = None) -> dict:
    """Build and write a city (fraud_scale multiplies the planted fraud; the scenario, if
    given, draws every assumption and its own size); returns its summary."""
    sc = scenario or Scenario()
    persons = sc.persons or persons
    rng = random.Random(seed)
    buildings = choose(load_buildings(), persons, seed, sc.dormitories)
    buildings = institutions(buildings, sc, seed)
    city = City(rng=rng, persons=PersonFactory(rng), sc=sc)
    add_offices(city, sorted(buildings["district"].unique()))
    corrupt_officials(city, sorted(buildings.loc[buildings["kind"] == "block", "district"]
                                   .unique()))
    flats = split_flats(city, buildings)
    pools = populate(city, buildings, flats)
    landlords(city, pools["let"], max(3, len(pools["let"]) // sc.flats_per_landlord))
    move(city, pools["mobile"])
    n_flats = sum(1 for p in city.properties if p["kind"] == "apartment")
    plant(city, pools, n_flats, fraud_scale)
    everyday_services(city)
    regs = pd.DataFrame(city.registrations)
    raids(city, regs)
    # one registration processed on the as-of day, so the extract's latest date is AS_OF
    last = regs["start_date"].idxmax()
    city.registrations[last]["start_date"] = AS_OF.isoformat()
    city.registrations[last]["processed_at"] = f"{AS_OF.isoformat()}T10:00:00"
    return write(city, out, seed)


def write(city: City, out: Path, seed: int) -> dict:
    """The extract's CSV files and the labels."""
    ext, lab = out / "extract", out / "labels"
    ext.mkdir(parents=True, exist_ok=True)
    lab.mkdir(parents=True, exist_ok=True)
    tables: dict[str, list[dict]] = {"persons": city.persons.rows, "properties": city.properties,
              "registrations": city.registrations, "ownerships": city.ownerships,
              "organizations": city.organizations, "offices": city.offices,
              "officials": city.officials, "relations": city.relations,
              "inspections": city.inspections, "service_events": city.service_events}
    if city.sc.coverage == "none":
        del tables["service_events"]
    order = random.Random(seed)
    for name, rows in tables.items():
        df = pd.DataFrame(rows)
        for col in ("rooms", "persons_found", "fictitious_count"):
            if col in df.columns:
                df[col] = df[col].astype("Int64")
        df["source_note"] = "unseen"  # the contract keeps and ignores unknown columns
        cols = list(df.columns)
        order.shuffle(cols)  # and column order is free
        df[cols].to_csv(ext / f"{name}.csv", index=False)
    ids = [p["property_id"] for p in city.properties]
    pd.DataFrame({"property_id": ids,
                  "is_fraud": ["true" if p in city.fraud_kind else "false" for p in ids],
                  "fraud_kind": [city.fraud_kind.get(p) for p in ids],
                  "lookalike": [city.lookalike.get(p) for p in ids]}).to_csv(
        lab / "property_labels.csv", index=False)
    pd.DataFrame({"owner_id": sorted(city.fraud_owners)}).to_csv(lab / "owner_labels.csv",
                                                                index=False)
    pd.DataFrame({"official_id": sorted(city.fraud_officials)}).to_csv(
        lab / "official_labels.csv", index=False)
    pd.DataFrame({"ring_id": [f"RING{i + 1}" for i in range(len(city.rings))],
                  "property_ids": [";".join(r) for r in city.rings]}).to_csv(
        lab / "rings.csv", index=False)
    summary = {"seed": seed, "as_of": AS_OF.isoformat(), "rows": {k: len(v) for k, v in
                                                                  tables.items()},
               "fraud_kinds": pd.Series(city.fraud_kind).value_counts().to_dict(),
               "lookalikes": pd.Series(city.lookalike).value_counts().to_dict(),
               "fraud_owners": len(city.fraud_owners), "rings": len(city.rings)}
    pd.DataFrame({
        "registration_id": [r["registration_id"] for r in city.registrations],
        "property_id": [r["property_id"] for r in city.registrations],
        "start_date": [r["start_date"] for r in city.registrations],
        "end_date": [r["end_date"] for r in city.registrations],
        "fictitious": [r["person_id"] in city.fake for r in city.registrations]}).to_csv(
        lab / "registration_truth.csv", index=False)
    (lab / "scenario.json").write_text(to_json(city.sc))
    (lab / "summary.json").write_text(json.dumps(summary, indent=1, ensure_ascii=False))
    return summary
