"""One person: where else they are registered, with whom, approved by whom, what they own.

Serves `/api/persons/{id}` and the `/person/{id}` page. Masked for the viewer's role like
every read of `zonewatch.service.views` (pseudonyms for person ids, `***` for names and
IINs), and written to the audit log with every person the answer shows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from zonewatch.errors import NotFound
from zonewatch.service import audit
from zonewatch.service.scrub import scrub_run_persons
from zonewatch.service.search import resolve_person

if TYPE_CHECKING:
    from zonewatch.service.views import Viewer

CO_REGISTRANTS = 200  # people shown as registered alongside, newest overlaps first


def _rows(v: Viewer, table: str, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    rows = v.run.query(sql, params) if v.run.has_table(table) else []
    return [{k: (x.isoformat() if hasattr(x, "isoformat") else x) for k, x in r.items()}
            for r in rows]


def person_detail(v: Viewer, person_id: str) -> dict[str, Any]:
    """A person's record, registrations (with property, office and approving official),
    the people registered at the same properties at overlapping times, the officials who
    approved their registrations, properties owned and declared relatives."""
    real = resolve_person(v, person_id)
    record = _rows(v, "persons", "SELECT * FROM persons WHERE person_id = ?", [real])
    if not record:
        raise NotFound(f"person {person_id} is not in the served run")
    registrations = _rows(
        v, "registrations",
        "SELECT g.registration_id, g.property_id, g.kind, g.start_date, g.end_date, "
        "g.channel, g.office_id, g.official_id, g.owner_consent, p.address, p.district, "
        "p.kind AS property_kind FROM registrations g LEFT JOIN properties p "
        "USING (property_id) WHERE g.person_id = ? ORDER BY g.start_date DESC, "
        "g.registration_id", [real])
    with_whom = _rows(
        v, "registrations",
        "WITH mine AS (SELECT property_id, start_date AS s, coalesce(end_date, DATE "
        "'9999-12-31') AS e FROM registrations WHERE person_id = $1) "
        "SELECT o.person_id, o.property_id, min(o.start_date) AS start_date, "
        "max(o.end_date) AS end_date, count(*) AS registrations, "
        "any_value(o.official_id) AS official_id FROM registrations o JOIN mine m "
        "ON o.property_id = m.property_id AND o.start_date < m.e "
        "AND coalesce(o.end_date, DATE '9999-12-31') > m.s WHERE o.person_id <> $1 "
        f"GROUP BY ALL ORDER BY start_date DESC, o.person_id LIMIT {CO_REGISTRANTS}", [real])
    _add_names(v, with_whom)
    approved_by = _rows(
        v, "registrations",
        "SELECT g.official_id, g.office_id, count(*) AS registrations, "
        "min(g.start_date) AS first, max(g.start_date) AS last FROM registrations g "
        "WHERE g.person_id = ? AND g.official_id IS NOT NULL "
        "GROUP BY ALL ORDER BY registrations DESC, g.official_id", [real])
    _add_official_ranks(v, approved_by)
    owned = _rows(v, "ownerships", "SELECT o.property_id, o.share, o.start_date, o.end_date, "
                  "p.address, p.district FROM ownerships o LEFT JOIN properties p "
                  "USING (property_id) WHERE o.owner_id = ? ORDER BY o.start_date", [real])
    relatives = _rows(
        v, "relations", "SELECT relative_id AS person_id, relation FROM relations WHERE "
        "person_id = $1 UNION SELECT person_id, relation FROM relations WHERE "
        "relative_id = $1 ORDER BY 1", [real])
    _add_names(v, relatives)
    _add_scores(v, registrations + owned + with_whom)
    shown_persons = sorted({real} | {r["person_id"] for r in with_whom + relatives})
    clear = v.clear
    audit.record(v.db, v.user, "read", "person", real,
                 {"masked": not clear, "persons": shown_persons,
                  "registrations": len(registrations)})
    data = {"person_id": real, "record": record[0], "registrations": registrations,
            "with_whom": with_whom, "with_whom_truncated": len(with_whom) == CO_REGISTRANTS,
            "approved_by": approved_by, "owned": owned, "relatives": relatives,
            "owner": v.run.evidence_for("owner", real), "masked": not clear}
    return data if clear else _mask(v, data)


def _add_names(v: Viewer, rows: list[dict[str, Any]]) -> None:
    ids = sorted({r["person_id"] for r in rows})
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    names = {p["person_id"]: p for p in _rows(
        v, "persons", "SELECT person_id, last_name, first_name, patronymic, iin, birth_date "
        f"FROM persons WHERE person_id IN ({marks})", ids)}
    for row in rows:
        person = names.get(row["person_id"], {})
        row.update({k: person.get(k) for k in ("last_name", "first_name", "patronymic", "iin",
                                               "birth_date")})


def _add_official_ranks(v: Viewer, rows: list[dict[str, Any]]) -> None:
    try:
        frame = v.run.ranked("officials")
    except NotFound:
        return
    ranks = {r["official_id"]: r for r in frame[["official_id", "rank", "score"]]
             .to_dict("records")}
    for row in rows:
        hit = ranks.get(row["official_id"], {})
        row["rank"], row["score"] = hit.get("rank"), hit.get("score")


def _add_scores(v: Viewer, rows: list[dict[str, Any]]) -> None:
    """Each row's property score and rank in the run (None when not ranked)."""
    try:
        frame = v.run.ranked("properties")
    except NotFound:
        return
    wanted = {r["property_id"] for r in rows}
    hits = frame[frame["property_id"].isin(wanted)][["property_id", "rank", "score"]]
    ranks = {r["property_id"]: r for r in hits.to_dict("records")}
    for row in rows:
        hit = ranks.get(row["property_id"], {})
        row["property_rank"], row["property_score"] = hit.get("rank"), hit.get("score")


def _mask(v: Viewer, data: dict[str, Any]) -> dict[str, Any]:
    out = dict(data)
    out["person_id"] = v.masker.pseudonym(data["person_id"])
    out["record"] = v.masker.person(data["record"])
    for key in ("with_whom", "relatives"):
        out[key] = [v.masker.person(r) for r in data[key]]
    out["approved_by"] = data["approved_by"]
    out["owner"] = [{**e, "entity_id": out["person_id"]} for e in data["owner"]]
    return scrub_run_persons(out, v.run, v.masker)
