"""The real Moscow buildings the unseen city stands on, cleaned enough to split into flats.

The reformagkh export is dirty (zero areas, absurd dwelling counts, text for missing values);
a building whose figures cannot be repaired from its own other figures is left out, and the
real dormitories are kept as dormitories with their real residents.
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

SOURCE = Path("/work/shared/data/real/housedata_msk_20140323.csv.gz")
M2_PER_RESIDENT = 23.0  # median living m² per resident in the source (its README)
KIND = {"Многоквартирный дом": "block", "Общежитие": "dormitory",
        "Объект индивидуального жилищного строительства": "house",
        "Жилой дом блокированной застройки": "house"}


def load_buildings(source: Path = SOURCE) -> pd.DataFrame:
    """One row per usable building: id, address, district, kind, living m², flats, people, year."""
    raw = pd.read_csv(source, dtype=str)
    num = {c: pd.to_numeric(raw[c], errors="coerce") for c in
           ("AREA", "AREA_LIVE_TOTAL", "APTS", "PEOPLE", "YEAR", "LEVELS")}
    live = num["AREA_LIVE_TOTAL"].where(num["AREA_LIVE_TOTAL"] > 0, num["AREA"] * 0.8)
    df = pd.DataFrame({
        "building_id": "B" + raw["HOUSE_ID"], "address": raw["ADDRESS"],
        "district": raw["LVL2_NAME"].str.replace("муниципальный округ ", "", regex=False),
        "kind": raw["HOUSE_TYPE"].map(KIND), "live_m2": live, "apts": num["APTS"],
        "people": num["PEOPLE"], "year": num["YEAR"], "levels": num["LEVELS"],
    })
    df = df[df["kind"].notna() & df["district"].notna() & (df["live_m2"] > 20)]
    per_flat = df["live_m2"] / df["apts"]
    flats_ok = (df["apts"] >= 1) & per_flat.between(18, 250)
    df.loc[~flats_ok, "apts"] = (df.loc[~flats_ok, "live_m2"] / 52).round().clip(lower=1)
    df.loc[df["kind"] == "house", "apts"] = 1
    per_person = df["live_m2"] / df["people"]
    people_ok = (df["people"] >= 1) & per_person.between(6, 120)
    df.loc[~people_ok, "people"] = (df.loc[~people_ok, "live_m2"] / M2_PER_RESIDENT).round()
    df["apts"] = df["apts"].astype(int).clip(upper=600)
    df["people"] = df["people"].astype(int).clip(lower=1)
    return df.reset_index(drop=True)


def choose(buildings: pd.DataFrame, persons: int, seed: int,
           dormitories: int = 12) -> pd.DataFrame:
    """Whole districts (random order by seed, none above a quarter of the target) until about
    `persons` residents, plus some of the city's real dormitories wherever they stand."""
    rng = random.Random(seed)
    blocks = buildings[buildings["kind"] != "dormitory"]
    districts = sorted(blocks["district"].unique())
    rng.shuffle(districts)
    picked, total = [], 0
    for d in districts:
        people = int(blocks.loc[blocks["district"] == d, "people"].sum())
        if people > persons / 4 or (total and total + people > persons * 1.1):
            continue  # several mid-sized districts give peers and "elsewhere" to compare
        picked.append(d)
        total += people
        if total >= persons * 0.9:
            break
    chosen = blocks[blocks["district"].isin(picked)]
    dorms = buildings[(buildings["kind"] == "dormitory") & (buildings["people"] <= 900)]
    dorms = dorms.sample(n=min(dormitories, len(dorms)), random_state=seed)
    return pd.concat([chosen, dorms]).reset_index(drop=True)
