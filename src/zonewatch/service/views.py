"""The read functions behind every list and detail: one code path for the API and the pages.

Each function takes a `Viewer` (who asks, their DB session, the run) and returns plain
JSON-ready dicts, already masked for the viewer's role; reads of personal data are written
to the audit log here, so no caller can forget it. The caller commits the session.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import pandas as pd
from fastapi import HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.contract.run_files import ranked_lists
from zonewatch.errors import Invalid, NotFound
from zonewatch.inspections.access import is_assigned
from zonewatch.inspections.outcomes import outcome_dict
from zonewatch.rundir import RunDir, records
from zonewatch.service import audit, search
from zonewatch.service.auth import Principal
from zonewatch.service.masking import PSEUDONYM_PREFIX, Masker, sees_clear
from zonewatch.service.places import ranked_properties_with_places
from zonewatch.service.scrub import scrub_run_persons
from zonewatch.store.models import InspectionOutcome, PlanVisit

MAX_PER_PAGE = 5000  # the inspection list exports up to this many rows in one page
MAX_REGISTRATIONS = 500
MAX_CACHED_ORDERS = 64  # filtered, sorted lists kept per run version (bounded)
_ORDERS_LOCK = threading.Lock()
SORTABLE = ("rank", "score", "registered", "area_m2", "properties", "district", "kind")


@dataclass
class Viewer:
    """Who is asking, through which DB session, about which run."""

    user: Principal
    db: Session
    run: RunDir
    masker: Masker

    @property
    def clear(self) -> bool:
        """Whether this viewer sees personal data in clear everywhere."""
        return sees_clear(self.user.role)


def _person_ids(run: RunDir, ids: list[str]) -> set[str]:
    """Those of `ids` that are persons in the run's database (all of them if unknown)."""
    if not ids:
        return set()
    if not run.has_table("persons"):
        return set(ids)
    marks = ",".join("?" * len(ids))
    rows = run.query(f"SELECT person_id FROM {run.lookup('persons', 'person_id')} "
                     f"WHERE person_id IN ({marks})", ids)
    return {r["person_id"] for r in rows}


def _scrub(v: Viewer, data: dict[str, Any], clear: bool | None = None) -> dict[str, Any]:
    """`data` with person ids inside free text pseudonymised unless the viewer sees clear."""
    if v.clear if clear is None else clear:
        return data
    return scrub_run_persons(data, v.run, v.masker)


def _org_ids(run: RunDir) -> set[str]:
    """Organization ids of the run (owners that are not persons)."""
    if not run.has_table("organizations"):
        return set()
    return {r["org_id"] for r in run.query("SELECT org_id FROM organizations")}


def _mask_ids(v: Viewer, rows: list[dict], column: str, split: bool = False) -> None:
    """Pseudonymise, in place, the person ids in `column` (`;`-lists when `split`)."""
    if v.clear:
        return
    values = [r[column] for r in rows if r.get(column)]
    ids = [x for val in values for x in val.split(";")] if split else values
    persons = _person_ids(v.run, sorted(set(ids)))
    for r in rows:
        if not r.get(column):
            continue
        parts = r[column].split(";") if split else [r[column]]
        masked = [v.masker.pseudonym(p) if p in persons else p for p in parts]
        r[column] = ";".join(masked)


PERSON_COLUMNS = {"owners": ("owner_id", False), "networks": ("members", True)}


def _audit_list(v: Viewer, kind: str, page: int, items: list[dict]) -> None:
    """A page of owners or networks shows persons: audit which (ids before masking)."""
    if kind not in PERSON_COLUMNS:
        return
    column, split = PERSON_COLUMNS[kind]
    values = [str(r[column]) for r in items if r.get(column)]
    ids = sorted({x for val in values for x in (val.split(";") if split else [val])})
    persons = sorted(_person_ids(v.run, ids))
    audit.begin_write(v.db)
    audit.record(v.db, v.user, "read", f"{kind}_list", f"page {page}",
                 {"masked": not v.clear, "persons": persons})


def ranked_page(
    v: Viewer,
    kind: str,
    *,
    page: int = 1,
    per_page: int = 50,
    sort: str = "rank",
    order: str = "asc",
    q: str | None = None,
    indicator: str | None = None,
    min_score: float | None = None,
    district: str | None = None,
    property_kind: str | None = None,
    flagged_only: bool = False,
) -> dict[str, Any]:
    """One page of a ranked list (properties, owners, officials, offices, networks).

    Properties come with district, kind and address from the run's DuckDB; `district` and
    `property_kind` (properties only) keep one district / kind; `flagged_only` keeps rows
    where an indicator fired.
    """
    if page < 1 or not 1 <= per_page <= MAX_PER_PAGE:
        raise Invalid(f"page must be >= 1 and per_page in 1..{MAX_PER_PAGE}")
    if order not in ("asc", "desc"):
        raise Invalid("order must be 'asc' or 'desc'")
    frame = ranked_properties_with_places(v.run) if kind == "properties" else v.run.ranked(kind)
    id_col = ranked_lists()[kind].id
    if sort == "rank" and "rank" not in frame.columns:  # networks.csv has no rank
        sort, order = "score", "desc" if order == "asc" else "asc"
    if sort not in frame.columns or sort not in SORTABLE + (id_col,):
        allowed = [c for c in SORTABLE + (id_col,) if c in frame.columns]
        raise Invalid(f"cannot sort {kind} by {sort!r}; sortable: {', '.join(allowed)}")
    if q:
        shown = frame[id_col].astype(str)
        if kind == "owners" and not v.clear:  # search what the viewer sees: the pseudonyms
            orgs = _org_ids(v.run)
            shown = shown.map(lambda x: x if x in orgs else v.masker.pseudonym(x))
        hit = shown.str.contains(q, case=False, regex=False, na=False)
        if kind == "properties":  # also by address, registrant's or owner's IIN / name
            hit |= frame[id_col].isin(search.property_ids_for(v, q))
        frame = frame[hit.astype(bool)]  # bool even when the frame is empty
    for column, value in (("district", district), ("kind", property_kind)):
        if value is not None and kind != "properties":
            raise Invalid(f"the {column} filter applies to properties only")
    rule = (indicator, district, property_kind, flagged_only, min_score, sort, order)
    if q:
        frame = _filter_sort(frame, *rule)
    else:  # the same list in the same order for every page and every viewer of this run
        orders = v.run.cached("ranked_orders", dict)
        key = (kind, *rule)
        found = orders.get(key)
        if found is None:
            found = _filter_sort(frame, *rule)
            with _ORDERS_LOCK:
                if len(orders) >= MAX_CACHED_ORDERS:
                    orders.pop(next(iter(orders)), None)
                orders[key] = found
        frame = found
    total = len(frame)
    items = records(frame.iloc[(page - 1) * per_page : page * per_page])
    _audit_list(v, kind, page, items)
    if kind == "owners":
        _mask_ids(v, items, "owner_id")
    elif kind == "networks":
        _mask_ids(v, items, "members", split=True)
    return _scrub(v, {"kind": kind, "total": total, "page": page, "per_page": per_page,
                      "items": items})


def _filter_sort(frame: pd.DataFrame, indicator: str | None, district: str | None,
                 property_kind: str | None, flagged_only: bool, min_score: float | None,
                 sort: str, order: str) -> pd.DataFrame:
    """The ranked frame after the filters, in the order asked for."""
    if indicator and "indicators" in frame.columns:
        fired = frame["indicators"].fillna("").astype(str).str.split(";")
        frame = frame[fired.map(lambda s: indicator in s).astype(bool)]  # bool even when empty
    for column, value in (("district", district), ("kind", property_kind)):
        if value is not None:
            frame = frame[frame[column] == value]
    if flagged_only and "indicators" in frame.columns:
        frame = frame[frame["indicators"].fillna("").astype(str) != ""]
    if min_score is not None:
        frame = frame[frame["score"] >= min_score]
    presorted = sort == "rank" and order == "asc" and frame["rank"].is_monotonic_increasing
    if not presorted:  # ranked files come in rank order: the common case needs no sort
        frame = frame.sort_values(sort, ascending=order == "asc", kind="stable")
    return frame


def _ranked_row(run: RunDir, kind: str, entity_id: str) -> dict | None:
    """The ranked row of one entity (positions by id indexed once per run version)."""
    try:
        frame = run.ranked(kind)
    except NotFound:
        return None
    positions = run.cached(f"positions:{kind}", lambda: {
        key: pos for pos, key in reversed(list(enumerate(frame[ranked_lists()[kind].id])))})
    pos = positions.get(entity_id)
    return records(frame.iloc[[pos]])[0] if pos is not None else None


def resolve_owner_id(v: Viewer, owner_id: str) -> str:
    """The real owner id behind a pseudonym (only among ranked owners), or `owner_id`."""
    if not owner_id.startswith(PSEUDONYM_PREFIX):
        return owner_id
    for real in v.run.ranked("owners")["owner_id"].dropna():
        if v.masker.pseudonym(real) == owner_id:
            return real
    raise NotFound(f"no ranked owner has pseudonym {owner_id}")


def _table_rows(run: RunDir, table: str, sql: str, params: list) -> list[dict]:
    return run.query(sql, params) if run.has_table(table) else []


def _rows_by(run: RunDir, table: str, key: str, value: str, order: str = "",
             limit: int | None = None) -> list[dict]:
    """Rows of the ingested `table` whose `key` is `value`, read from its copy sorted by
    `key` (a few row groups, not the table)."""
    if not run.has_table(table):
        return []
    sql = f"SELECT * FROM {run.lookup(table, key)} WHERE {key} = ?"
    sql += f" ORDER BY {order}" if order else ""
    sql += f" LIMIT {int(limit)}" if limit else ""
    return run.query(sql, [value])


def _registrations_with_persons(run: RunDir, property_id: str) -> list[dict]:
    """A property's newest registrations with the persons' names, IINs and birth dates.

    Two small queries instead of a join: a join would hash the whole persons table.
    """
    regs = _rows_by(run, "registrations", "property_id", property_id,
                    order="start_date DESC", limit=MAX_REGISTRATIONS)
    ids = sorted({r["person_id"] for r in regs})
    people: dict[str, dict] = {}
    if ids and run.has_table("persons"):
        marks = ",".join("?" * len(ids))
        for p in run.query(
            "SELECT person_id, last_name, first_name, patronymic, iin, birth_date "
            f"FROM {run.lookup('persons', 'person_id')} WHERE person_id IN ({marks})",
            ids,
        ):
            people[p["person_id"]] = p
    fields = ("last_name", "first_name", "patronymic", "iin", "birth_date")
    return [{**r, **{f: people.get(r["person_id"], {}).get(f) for f in fields}} for r in regs]


def property_detail(v: Viewer, property_id: str) -> dict[str, Any]:
    """A property: rank, evidence, record, owners, registrations, inspections, visits."""
    assigned = v.user.role == "inspector" and is_assigned(v.db, v.user.username, property_id)
    if v.user.role == "inspector" and not assigned:
        raise HTTPException(403, f"property {property_id} is not on any of your visits")
    record = _rows_by(v.run, "properties", "property_id", property_id)
    ranked = _ranked_row(v.run, "properties", property_id)
    if not record and ranked is None:
        raise NotFound(f"property {property_id} is not in the served run")
    regs = _registrations_with_persons(v.run, property_id)
    owners = _rows_by(v.run, "ownerships", "property_id", property_id, order="start_date")
    clear = sees_clear(v.user.role, assigned)
    persons_read = sorted(
        {r["person_id"] for r in regs}
        | {o["owner_id"] for o in owners if o.get("owner_type") == "person"}
    )
    if not clear:
        regs = [v.masker.person(r) for r in regs]
        owners = [
            v.masker.person(o, ("owner_id",)) if o.get("owner_type") == "person" else o
            for o in owners
        ]
    audit.begin_write(v.db)  # the audit row first, then the store reads, in one transaction
    audit.record(
        v.db,
        v.user,
        "read",
        "property",
        property_id,
        {
            "registrations": len(regs),
            "owners": len(owners),
            "masked": not clear,
            "persons": persons_read,
        },
    )
    outcomes = v.db.scalars(
        select(InspectionOutcome).where(InspectionOutcome.property_id == property_id)
    ).all()
    visits = v.db.scalars(select(PlanVisit).where(PlanVisit.property_id == property_id)).all()
    return _scrub(v, {
        "property_id": property_id,
        "property": _jsonable(record[0]) if record else None,
        "ranked": ranked,
        "evidence": v.run.evidence_for("property", property_id),
        "owners": [_jsonable(o) for o in owners],
        "registrations": [_jsonable(r) for r in regs],
        "registrations_truncated": len(regs) == MAX_REGISTRATIONS,
        "inspections": [outcome_dict(o) for o in outcomes],
        "visits": [{"plan_id": x.plan_id, "visit_on": x.visit_on.isoformat()} for x in visits],
        "masked": not clear,
    }, clear)


def owner_detail(v: Viewer, owner_id: str) -> dict[str, Any]:
    """An owner (person or organization): rank, evidence, record, properties owned."""
    real = resolve_owner_id(v, owner_id)
    person = _rows_by(v.run, "persons", "person_id", real)
    org = _table_rows(
        v.run, "organizations", "SELECT * FROM organizations WHERE org_id = ?", [real]
    )
    ranked = _ranked_row(v.run, "owners", real)
    if not person and not org and ranked is None:
        raise NotFound(f"owner {owner_id} is not in the served run")
    props = _table_rows(
        v.run,
        "ownerships",
        "SELECT o.property_id, o.share, o.start_date, o.end_date, p.district, p.kind, "
        "p.area_m2 FROM ownerships o LEFT JOIN properties p USING (property_id) "
        "WHERE o.owner_id = ? ORDER BY o.start_date",
        [real],
    )
    shown = real
    record = person[0] if person else (org[0] if org else None)
    evidence = v.run.evidence_for("owner", real)
    if person and not v.clear:
        shown = v.masker.pseudonym(real)
        record = v.masker.person(person[0])
        evidence = [{**e, "entity_id": shown} for e in evidence]
        if ranked:
            ranked = {**ranked, "owner_id": shown}
    audit.begin_write(v.db)
    audit.record(
        v.db,
        v.user,
        "read",
        "owner",
        real,
        {"masked": bool(person) and not v.clear, "persons": [real] if person else []},
    )
    return _scrub(v, {
        "owner_id": shown,
        "owner_type": "person" if person else ("organization" if org else None),
        "record": _jsonable(record) if record else None,
        "ranked": ranked,
        "evidence": evidence,
        "properties": [_jsonable(p) for p in props],
    })


def official_detail(v: Viewer, official_id: str) -> dict[str, Any]:
    """An official: rank, evidence, record (name masked), approvals per property."""
    record = _table_rows(
        v.run, "officials", "SELECT * FROM officials WHERE official_id = ?", [official_id]
    )
    ranked = _ranked_row(v.run, "officials", official_id)
    if not record and ranked is None:
        raise NotFound(f"official {official_id} is not in the served run")
    approvals = _table_rows(
        v.run,
        "registrations",
        "SELECT property_id, count(*) AS registrations, min(start_date) AS first, "
        "max(start_date) AS last FROM registrations WHERE official_id = ? "
        "GROUP BY property_id ORDER BY registrations DESC, property_id LIMIT 100",
        [official_id],
    )
    rec = record[0] if record else None
    if rec and not v.clear:
        rec = v.masker.person(rec, ())
    audit.begin_write(v.db)
    audit.record(v.db, v.user, "read", "official", official_id, {"masked": not v.clear})
    return _scrub(v, {
        "official_id": official_id,
        "record": _jsonable(rec) if rec else None,
        "ranked": ranked,
        "evidence": v.run.evidence_for("official", official_id),
        "approvals_by_property": [_jsonable(a) for a in approvals],
    })


def network_detail(v: Viewer, network_id: str) -> dict[str, Any]:
    """A broker network: its row with members (person ids pseudonymised when masked)."""
    row = _ranked_row(v.run, "networks", network_id)
    if row is None:
        raise NotFound(f"network {network_id} is not in the served run")
    rows = [row]
    _mask_ids(v, rows, "members", split=True)
    return _scrub(v, rows[0])


def _jsonable(row: dict) -> dict:
    return {k: (x.isoformat() if hasattr(x, "isoformat") else x) for k, x in row.items()}
