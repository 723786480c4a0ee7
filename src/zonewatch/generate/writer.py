"""Turn the city's integer columns into contract tables (Arrow) and write them as CSV.

Ids, names and addresses are only materialised here, column by column with Arrow compute,
so that memory stays proportional to the rows and not to Python objects.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from zonewatch.generate.iin import digits_to_strings, make_bins, make_iins
from zonewatch.generate.observations import OUTCOMES, SERVICES
from zonewatch.generate.offices import CHANNELS, CONSENTS, OFFICE_KINDS
from zonewatch.generate.state import CITIZENSHIPS, ORG_KINDS, PROPERTY_KINDS, RELATIONS, City

STREETS = ["Кенесары", "Республики", "Абая", "Сарыарка", "Кабанбай батыра", "Туран",
           "Мангилик Ел", "Сыганак", "Жубанова", "Петрова", "Бейбитшилик", "Сейфуллина",
           "Иманова", "Ауэзова", "Куйши Дина", "Момышулы", "Желтоксан", "Богенбай батыра"]
ID_FORMATS = {"person": ("P", 8), "property": ("H", 8), "org": ("C", 7), "office": ("OF", 3),
              "official": ("U", 5), "registration": ("R", 9), "inspection": ("I", 7),
              "building": ("B", 6), "ring": ("RING", 4)}


def fmt_ids(values: np.ndarray, kind: str) -> pa.Array:
    """Integer ids -> 'P00000042' strings; negative values become null."""
    prefix, width = ID_FORMATS[kind]
    values = np.asarray(values, dtype=np.int64)
    nums = pc.utf8_lpad(pc.cast(pa.array(values + 1), pa.string()), width=width, padding="0")
    out = pc.binary_join_element_wise(pa.scalar(prefix), nums, "")
    mask = pa.array(values < 0)
    return pc.if_else(mask, pa.scalar(None, pa.string()), out)


def owner_ids(owner: np.ndarray, is_org: np.ndarray) -> pa.Array:
    return pc.if_else(pa.array(is_org), fmt_ids(owner, "org"), fmt_ids(owner, "person"))


def enum(codes: np.ndarray, values: list[str]) -> pa.Array:
    codes = np.asarray(codes, dtype=np.int64)
    return pc.take(pa.array(values + [None], pa.string()), pa.array(np.where(codes < 0,
                                                                             len(values), codes)))


def _dates(values: np.ndarray) -> pa.Array:
    return pa.array(values.astype("datetime64[D]"), from_pandas=True)


def persons_table(city: City, p: dict[str, np.ndarray]) -> pa.Table:
    vocab = pa.array(city.names.vocab + [None], pa.string())
    null = len(city.names.vocab)
    citizen = p["citizenship"] == 0
    iin = np.full(len(citizen), None, dtype=object)
    if citizen.any():
        iin[citizen] = digits_to_strings(make_iins(p["birth"][citizen], p["male"][citizen],
                                                   city.rng))
    return pa.table({
        "person_id": fmt_ids(np.arange(len(citizen)), "person"),
        "iin": pa.array(iin, pa.string()),
        "last_name": pc.take(vocab, pa.array(p["surname"])),
        "first_name": pc.take(vocab, pa.array(p["first"])),
        "patronymic": pc.take(vocab, pa.array(np.where(p["patronymic"] < 0, null,
                                                       p["patronymic"]))),
        "birth_date": _dates(p["birth"]),
        "sex": pa.array(np.where(p["male"], "M", "F")),
        "citizenship": enum(p["citizenship"], CITIZENSHIPS),
    })


def properties_table(city: City, p: dict[str, np.ndarray]) -> pa.Table:
    n = len(p["kind"])
    b = p["building"]
    key = np.where(b >= 0, b, (np.arange(n) * 7919) % 5400)
    street = pc.take(pa.array(STREETS), pa.array(key % len(STREETS)))
    house = pc.cast(pa.array(key // len(STREETS) % 300 + 1), pa.string())
    flat = pc.cast(pa.array(p["floor_unit"]), pa.string())
    district = enum(p["district"], city.district_names)
    head = pc.binary_join_element_wise("г. Астана", district, pa.scalar("ул. "), ", ")
    addr = pc.binary_join_element_wise(head, street, "")
    addr = pc.binary_join_element_wise(addr, house, ", д. ")
    with_flat = pc.binary_join_element_wise(addr, flat, ", кв. ")
    addr = pc.if_else(pa.array(b >= 0), with_flat, addr)
    return pa.table({
        "property_id": fmt_ids(np.arange(n), "property"),
        "address": addr,
        "district": district,
        "building_id": fmt_ids(b, "building"),
        "kind": enum(p["kind"], PROPERTY_KINDS),
        "area_m2": pa.array(p["area"]),
        "rooms": pa.array(p["rooms"].astype(np.int64)),
        "lat": pa.array(p["lat"]),
        "lon": pa.array(p["lon"]),
    })


def registrations_table(r: dict[str, np.ndarray]) -> pa.Table:
    n = len(r["person"])
    processed = pa.array(r["processed"].astype("datetime64[s]"), from_pandas=True)
    return pa.table({
        "registration_id": fmt_ids(np.arange(n), "registration"),
        "person_id": fmt_ids(r["person"], "person"),
        "property_id": fmt_ids(r["prop"], "property"),
        "kind": pa.array(np.where(r["temporary"], "temporary", "permanent")),
        "start_date": _dates(r["start"]),
        "end_date": _dates(r["end"]),
        "channel": enum(r["channel"], CHANNELS),
        "office_id": fmt_ids(r["office"], "office"),
        "official_id": fmt_ids(r["official"], "official"),
        "owner_consent": enum(r["consent"], CONSENTS),
        "processed_at": pc.strftime(processed, format="%Y-%m-%dT%H:%M:%S"),
    })


def small_tables(city: City) -> dict[str, pa.Table]:
    """ownerships, organizations, offices, officials, relations, inspections, service_events."""
    f = city.final
    o = f["ownerships"]
    org = f["organizations"]
    n_org = len(org["kind"])
    founded = city.days(np.datetime64("1995-01-01"), np.datetime64("2015-01-01"), n_org)
    bins = digits_to_strings(make_bins(founded, city.rng)) if n_org else np.array([], "U12")
    org_kind = enum(org["kind"], ORG_KINDS)
    insp = f["inspections"]
    ev = f["service_events"]
    rel = f["relations"]
    return {
        "ownerships": pa.table({
            "property_id": fmt_ids(o["prop"], "property"),
            "owner_id": owner_ids(o["owner"], o["is_org"]),
            "owner_type": pa.array(np.where(o["is_org"], "organization", "person")),
            "share": pa.array(o["share"]),
            "start_date": _dates(o["start"]),
            "end_date": _dates(o["end"]),
        }),
        "organizations": pa.table({
            "org_id": fmt_ids(np.arange(n_org), "org"),
            "bin": pa.array(bins, pa.string()),
            "name": pc.binary_join_element_wise(
                pc.cast(org_kind, pa.string()),
                pc.cast(pa.array(np.arange(n_org) + 1), pa.string()), " №"),
            "kind": org_kind,
        }),
        "offices": pa.table({
            "office_id": fmt_ids(np.arange(len(city.offices["kind"])), "office"),
            "name": pa.array([f"{OFFICE_KINDS[k]} {city.district_names[d]}"
                              for k, d in zip(city.offices["kind"], city.offices["district"],
                                              strict=True)]),
            "district": enum(city.offices["district"], city.district_names),
            "kind": enum(city.offices["kind"], OFFICE_KINDS),
        }),
        "officials": pa.table({
            "official_id": fmt_ids(np.arange(len(city.officials["office"])), "official"),
            "office_id": fmt_ids(city.officials["office"], "office"),
            "name": pa.array(list(city.officials["name"]), pa.string()),
        }),
        "relations": pa.table({
            "person_id": fmt_ids(rel["person"], "person"),
            "relative_id": fmt_ids(rel["relative"], "person"),
            "relation": enum(rel["relation"], RELATIONS),
        }),
        "inspections": pa.table({
            "inspection_id": fmt_ids(np.arange(len(insp["prop"])), "inspection"),
            "property_id": fmt_ids(insp["prop"], "property"),
            "inspected_on": _dates(insp["date"]),
            "outcome": enum(insp["outcome"], OUTCOMES),
            "persons_found": pa.array(insp["found"], mask=insp["found"] < 0),
            "fictitious_count": pa.array(insp["fict"], mask=insp["fict"] < 0),
            "brokering": pa.array(insp["broker"].astype(bool)),
            "notes": pa.array(np.where(insp["outcome"] == 2, "nobody opened the door", None),
                              pa.string()),
        }),
        "service_events": pa.table({
            "person_id": fmt_ids(ev["person"], "person"),
            "service": enum(ev["service"], SERVICES),
            "district": enum(ev["district"], city.district_names),
            "property_id": pa.array(np.full(len(ev["person"]), None), pa.string()),
            "event_date": _dates(ev["date"]),
        }),
    }


def write_table(table: pa.Table, path: Path) -> None:
    """CSV with a plain header line; empty cell = null."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as fh:
        fh.write((",".join(table.column_names) + "\n").encode())
        pacsv.write_csv(table, fh, pacsv.WriteOptions(include_header=False,
                                                      quoting_style="needed"))


def append_rows(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    """Append hand-made rows (possibly broken on purpose) to a written CSV."""
    with path.open("a", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
        for row in rows:
            w.writerow({k: ("" if v is None else v) for k, v in row.items()})
