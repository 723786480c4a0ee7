"""Contract tables built from the city's columns, a slice of rows at a time.

Each table is a `TableSource`: its row count, a builder that turns any selection of rows
(a slice while writing, a few indices for broken copies) into an Arrow table, and which
rows broken copies may be made from (never planted-fraud properties).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from zonewatch.generate.iin import make_bins, make_iins
from zonewatch.generate.observations import OUTCOMES, SERVICES
from zonewatch.generate.offices import CHANNELS, CONSENTS, OFFICE_KINDS
from zonewatch.generate.state import CITIZENSHIPS, ORG_KINDS, PROPERTY_KINDS, RELATIONS, City
from zonewatch.generate.writer import STREETS, dates, enum, fmt_ids, owner_ids

Selection = slice | np.ndarray


@dataclass
class TableSource:
    """One contract table, buildable in pieces."""

    n_rows: int
    build: Callable[[Selection], pa.Table]
    eligible: np.ndarray | None = None  # rows broken copies may be made from
    has_iin: np.ndarray | None = None


def _rows(n: int, sel: Selection) -> np.ndarray:
    if isinstance(sel, slice):
        return np.arange(*sel.indices(n), dtype=np.int64)
    return np.arange(n, dtype=np.int64)[sel]


def _persons(city: City, p: dict[str, np.ndarray]) -> TableSource:
    n = len(p["home"])
    vocab = pa.array(city.names.vocab + [None], pa.string())
    null = len(city.names.vocab)
    citizen = p["citizenship"] == 0
    iin = np.zeros(n, dtype="S12")
    iin[citizen] = make_iins(p["birth"][citizen], p["male"][citizen], city.rng)

    def build(sel: Selection) -> pa.Table:
        patr = p["patronymic"][sel]
        return pa.table({
            "person_id": fmt_ids(_rows(n, sel), "person"),
            "iin": pa.array(iin[sel], pa.binary(12), mask=~citizen[sel]).cast(pa.string()),
            "last_name": pc.take(vocab, pa.array(p["surname"][sel])),
            "first_name": pc.take(vocab, pa.array(p["first"][sel])),
            "patronymic": pc.take(vocab, pa.array(np.where(patr < 0, null, patr))),
            "birth_date": dates(p["birth"][sel]),
            "sex": pa.array(np.where(p["male"][sel], "M", "F")),
            "citizenship": enum(p["citizenship"][sel], CITIZENSHIPS),
        })
    return TableSource(n, build, has_iin=citizen)


def _properties(city: City, p: dict[str, np.ndarray]) -> TableSource:
    n = len(p["kind"])
    # one address key per building, and one per property outside buildings
    alone = p["building"] < 0
    address_key = p["building"].copy()
    address_key[alone] = p["building"].max() + 1 + np.arange(alone.sum())

    def build(sel: Selection) -> pa.Table:
        b = p["building"][sel]
        key = address_key[sel]
        street = pc.take(pa.array(STREETS), pa.array(key % len(STREETS)))
        house = pc.cast(pa.array(key // len(STREETS) + 1), pa.string())
        flat = pc.cast(pa.array(p["unit"][sel]), pa.string())
        district = enum(p["district"][sel], city.district_names)
        head = pc.binary_join_element_wise("г. Астана", district, pa.scalar("ул. "), ", ")
        addr = pc.binary_join_element_wise(pc.binary_join_element_wise(head, street, ""),
                                           house, ", д. ")
        with_flat = pc.binary_join_element_wise(addr, flat, ", кв. ")
        return pa.table({
            "property_id": fmt_ids(_rows(n, sel), "property"),
            "address": pc.if_else(pa.array(b >= 0), with_flat, addr),
            "district": district,
            "building_id": fmt_ids(b, "building"),
            "kind": enum(p["kind"][sel], PROPERTY_KINDS),
            "area_m2": pa.array(p["area"][sel]),
            "rooms": pa.array(p["rooms"][sel].astype(np.int64)),
            "lat": pa.array(p["lat"][sel]),
            "lon": pa.array(p["lon"][sel]),
        })
    return TableSource(n, build, eligible=p["fraud"] == 0)


def _registrations(r: dict[str, np.ndarray], clean_prop: np.ndarray) -> TableSource:
    n = len(r["person"])

    def build(sel: Selection) -> pa.Table:
        processed = pa.array(r["processed"][sel].astype("datetime64[s]"), from_pandas=True)
        return pa.table({
            "registration_id": fmt_ids(_rows(n, sel), "registration"),
            "person_id": fmt_ids(r["person"][sel], "person"),
            "property_id": fmt_ids(r["prop"][sel], "property"),
            "kind": pa.array(np.where(r["temporary"][sel], "temporary", "permanent")),
            "start_date": dates(r["start"][sel]),
            "end_date": dates(r["end"][sel]),
            "channel": enum(r["channel"][sel], CHANNELS),
            "office_id": fmt_ids(r["office"][sel], "office"),
            "official_id": fmt_ids(r["official"][sel], "official"),
            "owner_consent": enum(r["consent"][sel], CONSENTS),
            "processed_at": pc.replace_substring(pc.cast(processed, pa.string()), " ", "T",
                                                 max_replacements=1),
        })
    return TableSource(n, build, eligible=clean_prop[r["prop"]])


def _ownerships(o: dict[str, np.ndarray], clean_prop: np.ndarray) -> TableSource:
    def build(sel: Selection) -> pa.Table:
        return pa.table({
            "property_id": fmt_ids(o["prop"][sel], "property"),
            "owner_id": owner_ids(o["owner"][sel], o["is_org"][sel]),
            "owner_type": pa.array(np.where(o["is_org"][sel], "organization", "person")),
            "share": pa.array(o["share"][sel]),
            "start_date": dates(o["start"][sel]),
            "end_date": dates(o["end"][sel]),
        })
    return TableSource(len(o["prop"]), build, eligible=clean_prop[o["prop"]])


def _organizations(city: City, org: dict[str, np.ndarray]) -> TableSource:
    n = len(org["kind"])
    founded = city.days(np.datetime64("1995-01-01"), np.datetime64("2015-01-01"), n)
    bins = make_bins(founded, city.rng) if n else np.zeros(0, "S12")

    def build(sel: Selection) -> pa.Table:
        kind = enum(org["kind"][sel], ORG_KINDS)
        ids = _rows(n, sel)
        return pa.table({
            "org_id": fmt_ids(ids, "org"),
            "bin": pa.array(bins[sel], pa.binary(12)).cast(pa.string()),
            "name": pc.binary_join_element_wise(
                kind, pc.cast(pa.array(ids + 1), pa.string()), " №"),
            "kind": kind,
        })
    return TableSource(n, build)


def _simple(n: int, make: Callable[[Selection], dict[str, pa.Array]],
            eligible: np.ndarray | None = None) -> TableSource:
    return TableSource(n, lambda sel: pa.table(make(sel)), eligible=eligible)


def table_sources(city: City, persons: dict[str, np.ndarray], props: dict[str, np.ndarray],
                  reg: dict[str, np.ndarray]) -> dict[str, TableSource]:
    """Every contract table of the city, ready to build in slices."""
    f = city.final
    clean_prop = props["fraud"] == 0
    off, offl = city.offices, city.officials
    rel, insp, ev = f["relations"], f["inspections"], f["service_events"]
    n_off = len(off["kind"])
    office_names = np.array([f"{OFFICE_KINDS[k]} {city.district_names[d]}"
                             for k, d in zip(off["kind"], off["district"], strict=True)])
    return {
        "persons": _persons(city, persons),
        "properties": _properties(city, props),
        "registrations": _registrations(reg, clean_prop),
        "ownerships": _ownerships(f["ownerships"], clean_prop),
        "organizations": _organizations(city, f["organizations"]),
        "offices": _simple(n_off, lambda s: {
            "office_id": fmt_ids(_rows(n_off, s), "office"),
            "name": pa.array(office_names[s]),
            "district": enum(off["district"][s], city.district_names),
            "kind": enum(off["kind"][s], OFFICE_KINDS)}),
        "officials": _simple(len(offl["office"]), lambda s: {
            "official_id": fmt_ids(_rows(len(offl["office"]), s), "official"),
            "office_id": fmt_ids(offl["office"][s], "office"),
            "name": pa.array(list(offl["name"][s]), pa.string())}),
        "relations": _simple(len(rel["person"]), lambda s: {
            "person_id": fmt_ids(rel["person"][s], "person"),
            "relative_id": fmt_ids(rel["relative"][s], "person"),
            "relation": enum(rel["relation"][s], RELATIONS)}),
        "inspections": _simple(len(insp["prop"]), lambda s: {
            "inspection_id": fmt_ids(_rows(len(insp["prop"]), s), "inspection"),
            "property_id": fmt_ids(insp["prop"][s], "property"),
            "inspected_on": dates(insp["date"][s]),
            "outcome": enum(insp["outcome"][s], OUTCOMES),
            "persons_found": pa.array(insp["found"][s], mask=insp["found"][s] < 0),
            "fictitious_count": pa.array(insp["fict"][s], mask=insp["fict"][s] < 0),
            "brokering": pa.array(insp["broker"][s].astype(bool)),
            "notes": pa.array(np.where(insp["outcome"][s] == 2, "nobody opened the door",
                                       None), pa.string())}, eligible=clean_prop[insp["prop"]]),
        "service_events": _simple(len(ev["person"]), lambda s: {
            "person_id": fmt_ids(ev["person"][s], "person"),
            "service": enum(ev["service"][s], SERVICES),
            "district": enum(ev["district"][s], city.district_names),
            "property_id": pa.nulls(len(ev["person"][s]), pa.string()),
            "event_date": dates(ev["date"][s])}),
    }
