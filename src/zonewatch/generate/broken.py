"""Deliberately broken rows: a small share of every kind of error the contract forbids.

Each broken row is a copy of a real row with one thing broken, appended to its table, and
listed in labels/broken_rows.csv with the rule it breaks, so an ingest can be scored on
quarantining exactly these. Duplicates and copies never touch planted-fraud properties.
Keyless tables are keyed by `|`-joined natural keys (see docs/generator.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from zonewatch.generate.tables import TableSource
from zonewatch.generate.writer import fmt_ids

Mutator = Callable[[dict, np.random.Generator], object]

KEYS = {
    "persons": ["person_id"], "properties": ["property_id"], "organizations": ["org_id"],
    "offices": ["office_id"], "officials": ["official_id"], "registrations": ["registration_id"],
    "inspections": ["inspection_id"], "ownerships": ["property_id", "owner_id", "start_date"],
    "relations": ["person_id", "relative_id"],
    "service_events": ["person_id", "service", "event_date"],
}
ID_KIND = {"persons": "person", "properties": "property", "organizations": "org",
           "offices": "office", "officials": "official", "registrations": "registration",
           "inspections": "inspection"}


def _before(column: str) -> Mutator:
    def mutate(row: dict, rng: np.random.Generator) -> object:
        start = dt.date.fromisoformat(row[column])
        return (start - dt.timedelta(days=int(rng.integers(1, 300)))).isoformat()
    return mutate


def _shift_date(row: dict, rng: np.random.Generator) -> object:
    born = dt.date.fromisoformat(row["birth_date"])
    return (born - dt.timedelta(days=int(rng.integers(40, 3000)))).isoformat()


def _bad_check(row: dict, rng: np.random.Generator) -> object:
    iin = row["iin"]
    return iin[:11] + str((int(iin[11]) + int(rng.integers(1, 10))) % 10)


def _dangling(kind: str) -> Mutator:
    def mutate(row: dict, rng: np.random.Generator) -> object:
        return fmt_ids(np.array([int(rng.integers(50_000_000, 90_000_000))]), kind)[0].as_py()
    return mutate


@dataclass(frozen=True)
class Rule:
    table: str
    rule: str
    column: str | None  # None: duplicate the key with other content
    value: object  # a literal or a Mutator
    needs: str | None = None  # a column that must be non-empty in the source row

    @property
    def ingest_rule(self) -> str:
        """The rule id `zonewatch.ingest` reports for this break."""
        return INGEST_RULE.get((self.rule, self.column), INGEST_RULE.get(self.rule, self.rule))


INGEST_RULE = {
    "iin_check_digit": "bad_iin", "iin_format": "bad_iin", "missing_required": "missing_value",
    "unparseable_date": "bad_date", "unparseable_number": "bad_number",
    ("unparseable_number", "persons_found"): "bad_integer",
    "area_nonpositive": "out_of_range", "rooms_below_one": "out_of_range",
    "lat_out_of_range": "out_of_range", "lon_out_of_range": "out_of_range",
    "share_out_of_range": "out_of_range",
}


RULES = [
    Rule("persons", "duplicate_key", None, None),
    Rule("persons", "iin_check_digit", "iin", _bad_check, "iin"),
    Rule("persons", "iin_format", "iin", lambda r, g: r["iin"][:11], "iin"),
    Rule("persons", "iin_birth_date_mismatch", "birth_date", _shift_date, "iin"),
    Rule("persons", "iin_sex_mismatch", "sex", lambda r, g: "F" if r["sex"] == "M" else "M",
         "iin"),
    Rule("persons", "missing_required", "last_name", ""),
    Rule("persons", "unparseable_date", "birth_date", "1985-13-45"),
    Rule("persons", "bad_enum", "sex", "X"),
    Rule("properties", "duplicate_key", None, None),
    Rule("properties", "area_nonpositive", "area_m2", "0"),
    Rule("properties", "rooms_below_one", "rooms", "0"),
    Rule("properties", "lat_out_of_range", "lat", "91.5"),
    Rule("properties", "lon_out_of_range", "lon", "-181.25"),
    Rule("properties", "bad_enum", "kind", "flat"),
    Rule("properties", "missing_required", "address", ""),
    Rule("properties", "unparseable_number", "area_m2", "45,5 м2"),
    Rule("registrations", "duplicate_key", None, None),
    Rule("registrations", "dangling_reference", "person_id", _dangling("person")),
    Rule("registrations", "dangling_reference", "property_id", _dangling("property")),
    Rule("registrations", "end_before_start", "end_date", _before("start_date")),
    Rule("registrations", "bad_enum", "kind", "forever"),
    Rule("registrations", "bad_enum", "owner_consent", "maybe"),
    Rule("registrations", "missing_required", "start_date", ""),
    Rule("registrations", "unparseable_date", "start_date", "2021-02-30"),
    Rule("ownerships", "share_out_of_range", "share", "1.5"),
    Rule("ownerships", "share_out_of_range", "share", "0"),
    Rule("ownerships", "dangling_reference", "owner_id", _dangling("person")),
    Rule("ownerships", "end_before_start", "end_date", _before("start_date")),
    Rule("ownerships", "bad_enum", "owner_type", "human"),
    Rule("organizations", "duplicate_key", None, None),
    Rule("organizations", "bad_enum", "kind", "bank"),
    Rule("officials", "dangling_reference", "office_id", _dangling("office")),
    Rule("relations", "bad_enum", "relation", "cousin"),
    Rule("relations", "dangling_reference", "relative_id", _dangling("person")),
    Rule("inspections", "bad_enum", "outcome", "ok"),
    Rule("inspections", "unparseable_number", "persons_found", "many"),
    Rule("inspections", "dangling_reference", "property_id", _dangling("property")),
    Rule("service_events", "bad_enum", "service", "sauna"),
    Rule("service_events", "dangling_reference", "person_id", _dangling("person")),
]


def _text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat()
    if isinstance(v, dt.date):
        return v.isoformat()
    return str(v)


def row_key(table: str, row: dict) -> str:
    return "|".join(str(row[k]) for k in KEYS[table])


def plant_broken(sources: dict[str, TableSource], rng: np.random.Generator,
                 share: float = 0.0002, cap: int = 200,
                 ) -> tuple[dict[str, list[dict]], list[dict]]:
    """Broken copies per table and their labels (table, row_key, rule, column, ingest_rule)."""
    rows: dict[str, list[dict]] = {}
    labels: list[dict] = []
    fresh = {name: src.n_rows for name, src in sources.items()}
    n_persons = sources["persons"].n_rows if "persons" in sources else 1
    for rule in RULES:
        src = sources.get(rule.table)
        if src is None or src.n_rows == 0:
            continue
        ok = np.ones(src.n_rows, bool) if src.eligible is None else src.eligible.copy()
        if rule.needs == "iin" and src.has_iin is not None:
            ok &= src.has_iin
        pool = np.flatnonzero(ok)
        if len(pool) == 0:
            continue
        k = min(len(pool), cap, max(1, round(src.n_rows * share)))
        picked = np.sort(rng.choice(pool, k, replace=False))
        for original in src.build(picked).to_pylist():
            row = {c: _text(v) for c, v in original.items()}
            if rule.table not in ID_KIND:
                row = _rekey(rule.table, row, rule.column, n_persons, rng)
            if rule.column is None:
                row = _duplicate(row, rng)
            else:
                value = rule.value(row, rng) if callable(rule.value) else rule.value
                row[rule.column] = _text(value)
                if rule.table in ID_KIND:
                    new_id = fmt_ids(np.array([fresh[rule.table]]), ID_KIND[rule.table])
                    row[KEYS[rule.table][0]] = new_id[0].as_py()
                    fresh[rule.table] += 1
            rows.setdefault(rule.table, []).append(row)
            labels.append({"table": rule.table, "row_key": row_key(rule.table, row),
                           "rule": rule.rule, "column": rule.column or KEYS[rule.table][0],
                           "ingest_rule": rule.ingest_rule})
    return rows, labels


def _rekey(table: str, row: dict, broken: str | None, n_persons: int,
           rng: np.random.Generator) -> dict:
    """Give a copy from a keyless table another natural key, so only the copy is broken."""
    out = dict(row)
    back = dt.timedelta(days=int(rng.integers(1, 60)))
    if table == "ownerships" and broken != "start_date":
        out["start_date"] = (dt.date.fromisoformat(out["start_date"]) - back).isoformat()
    elif table == "service_events" and broken != "event_date":
        out["event_date"] = (dt.date.fromisoformat(out["event_date"]) - back).isoformat()
    elif table == "relations" and broken != "relative_id":
        other = int(rng.integers(0, n_persons))
        out["relative_id"] = fmt_ids(np.array([other]), "person")[0].as_py()
    return out


def _duplicate(row: dict, rng: np.random.Generator) -> dict:
    """The same key with other content: a second, conflicting version of the row."""
    out = dict(row)
    for col in ("first_name", "address", "name", "start_date"):
        if col in out and out[col]:
            if col == "start_date":
                d = dt.date.fromisoformat(out[col]) - dt.timedelta(days=int(rng.integers(1, 90)))
                out[col] = d.isoformat()
            else:
                out[col] = out[col] + " (копия)"
            break
    return out
