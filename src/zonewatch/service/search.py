"""Search by IIN, name, address or id across persons, properties, owners and officials.

One read function serves `/api/search` and the `/search` page. What a viewer may search on
follows what they may see: names and IINs only for roles that see personal data in clear
(for the others such a query finds nothing, so a search cannot confirm who is in the data);
masked roles find a person by id or pseudonym and get the pseudonym back. Every search that
returns persons is written to the audit log with the persons shown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from zonewatch.errors import Invalid, NotFound
from zonewatch.service import audit
from zonewatch.service.masking import PSEUDONYM_PREFIX

if TYPE_CHECKING:  # views imports this module for `/api/properties?q=`
    from zonewatch.service.views import Viewer

LIMIT = 20
MIN_QUERY = 2
IIN = re.compile(r"^\d{12}$")


def _like(q: str) -> str:
    return "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _rows(v: Viewer, table: str, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return v.run.query(sql, params) if v.run.has_table(table) else []


def resolve_person(v: Viewer, person_id: str) -> str:
    """The real person id behind a pseudonym (scans the run's persons), or `person_id`."""
    if not person_id.startswith(PSEUDONYM_PREFIX):
        return person_id
    for row in _rows(v, "persons", "SELECT person_id FROM persons", []):
        if v.masker.pseudonym(row["person_id"]) == person_id:
            return row["person_id"]
    raise NotFound(f"no person has pseudonym {person_id}")


def find_persons(v: Viewer, q: str, limit: int = LIMIT) -> list[dict[str, Any]]:
    """Persons whose id, pseudonym, IIN or name (clear viewers only) matches `q`, with their
    real ids and names: the caller masks them for the viewer."""
    if q.startswith(PSEUDONYM_PREFIX):
        try:
            ids = [resolve_person(v, q)]
        except NotFound:
            return []
        where, params = "person_id = ?", ids
    elif v.clear and IIN.match(q):
        where, params = "iin = ?", [q]
    elif v.clear:
        words = q.split()
        name = " || ' ' || ".join(("last_name", "first_name", "coalesce(patronymic, '')"))
        where = "person_id = ? OR " + " AND ".join(f"({name}) ILIKE ? ESCAPE '\\'"
                                                   for _ in words)
        params = [q] + [_like(w) for w in words]
    else:
        where, params = "person_id = ?", [q]
    rows = _rows(v, "persons", "SELECT person_id, iin, last_name, first_name, patronymic, "
                 f"birth_date, citizenship FROM persons WHERE {where} "
                 f"ORDER BY last_name, first_name, person_id LIMIT {int(limit)}", params)
    return [_iso(r) for r in rows]


def property_ids_for(v: Viewer, q: str) -> set[str]:
    """Ids of properties whose id or address matches `q`, or where a person found by `q` is
    or was registered or is an owner (`/api/properties?q=` and the inspection list)."""
    found = {r["property_id"] for r in _rows(
        v, "properties", "SELECT property_id FROM properties WHERE property_id ILIKE ? "
        "ESCAPE '\\' OR address ILIKE ? ESCAPE '\\'", [_like(q), _like(q)])}
    persons = [p["person_id"] for p in find_persons(v, q, limit=200)] if len(q) >= 3 else []
    if persons:
        marks = ",".join("?" * len(persons))
        found |= {r["property_id"] for r in _rows(
            v, "registrations", f"SELECT DISTINCT property_id FROM registrations WHERE "
            f"person_id IN ({marks})", persons)}
        found |= {r["property_id"] for r in _rows(
            v, "ownerships", f"SELECT DISTINCT property_id FROM ownerships WHERE "
            f"owner_id IN ({marks})", persons)}
    return found


def search(v: Viewer, q: str, limit: int = LIMIT) -> dict[str, Any]:
    """Persons, properties, owners (organizations by name or BIN) and officials matching `q`.

    The caller commits the session (the audit row)."""
    q = (q or "").strip()
    if len(q) < MIN_QUERY:
        raise Invalid(f"q must have at least {MIN_QUERY} characters")
    if len(q) > 200:
        raise Invalid("q must have at most 200 characters")
    persons = find_persons(v, q, limit)
    like = _like(q)
    properties = _rows(
        v, "properties", "SELECT property_id, address, district, kind, area_m2 FROM properties "
        "WHERE property_id ILIKE ? ESCAPE '\\' OR address ILIKE ? ESCAPE '\\' "
        f"ORDER BY property_id LIMIT {int(limit)}", [like, like])
    organizations = _rows(
        v, "organizations", "SELECT org_id, bin, name, kind FROM organizations WHERE "
        "org_id = ? OR bin = ? OR name ILIKE ? ESCAPE '\\' "
        f"ORDER BY name, org_id LIMIT {int(limit)}", [q, q, like])
    name_clause = "OR name ILIKE ? ESCAPE '\\'" if v.clear else ""
    officials = _rows(
        v, "officials", "SELECT official_id, office_id, name FROM officials WHERE "
        f"official_id ILIKE ? ESCAPE '\\' {name_clause} ORDER BY official_id "
        f"LIMIT {int(limit)}", [like, like] if v.clear else [like])
    if not v.clear:
        officials = [v.masker.person(o, ()) for o in officials]
    real = [p["person_id"] for p in persons]
    if not v.clear:
        persons = [v.masker.person(p) for p in persons]
    audit.record(v.db, v.user, "search", "search", q[:100],
                 {"persons": real, "masked": not v.clear,
                  "results": len(persons) + len(properties) + len(organizations)
                  + len(officials)})
    return {"q": q, "masked": not v.clear, "persons": persons, "properties": properties,
            "organizations": organizations, "officials": officials}


def _iso(row: dict[str, Any]) -> dict[str, Any]:
    return {k: (x.isoformat() if hasattr(x, "isoformat") else x) for k, x in row.items()}
