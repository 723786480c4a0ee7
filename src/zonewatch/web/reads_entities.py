"""Read functions for the drill-down pages: property, owner, official, office, network.

Each returns a JSON-able dict or raises `NotFound`; person-level rows carry pseudonymous ids
only (names never leave the ingested database through these pages).
"""

from __future__ import annotations

from typing import Any

from zonewatch.web.rundata import RunData

TIMELINE_CAP = 300


class NotFound(LookupError):
    """No entity with this id in the run."""


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(";") if v]


def _ranked(run: RunData, table: str, key: str, entity_id: str) -> dict[str, Any] | None:
    row = run.one(f"SELECT * FROM {table} WHERE {key} = ?", [entity_id])
    if row:
        row["indicators"] = _split(row.get("indicators"))
    return row


def _evidence(run: RunData, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
    return run.rows("SELECT indicator_id, value, threshold, score, evidence FROM r_evidence "
                    "WHERE entity_type = ? AND entity_id = ? ORDER BY score DESC NULLS LAST",
                    [entity_type, entity_id])


def property_detail(run: RunData, property_id: str) -> dict[str, Any]:
    """One property: ranking, evidence, owners, approving officials, timeline, inspections."""
    ranked = _ranked(run, "r_properties", "property_id", property_id)
    info = (run.one("SELECT * FROM db.properties WHERE property_id = ?", [property_id])
            if run.has("properties") else None)
    if ranked is None and info is None:
        raise NotFound(f"no property {property_id!r} in this run")
    owners, officials, timeline, inspections, total = [], [], [], [], 0
    if run.has("ownerships"):
        owners = run.rows(
            "SELECT o.owner_id, o.owner_type, o.share, o.start_date, o.end_date, r.rank, "
            "r.score FROM db.ownerships o LEFT JOIN r_owners r USING (owner_id) "
            "WHERE o.property_id = ? ORDER BY o.start_date", [property_id])
    if run.has("registrations"):
        officials = run.rows(
            "SELECT g.official_id, g.office_id, count(*) AS approvals, r.rank, r.score "
            "FROM db.registrations g LEFT JOIN r_officials r USING (official_id) "
            "WHERE g.property_id = ? AND g.official_id IS NOT NULL "
            "GROUP BY ALL ORDER BY approvals DESC", [property_id])
        timeline, total = _timeline(run, property_id)
    if run.has("inspections"):
        inspections = run.rows(
            "SELECT inspection_id, inspected_on, outcome, persons_found, fictitious_count, "
            "brokering, notes FROM db.inspections WHERE property_id = ? "
            "ORDER BY inspected_on DESC", [property_id])
    networks = run.rows("SELECT network_id, score FROM r_networks WHERE "
                        "list_contains(string_split(members, ';'), ?)", [property_id])
    return {"property_id": property_id, "info": info, "ranked": ranked, "as_of": run.as_of,
            "evidence": _evidence(run, "property", property_id), "owners": owners,
            "officials": officials, "timeline": timeline, "timeline_total": total,
            "inspections": inspections, "networks": networks}


def _timeline(run: RunData, property_id: str) -> tuple[list[dict[str, Any]], int]:
    citizenship = "p.citizenship" if run.has("persons") else "NULL"
    joins = "LEFT JOIN db.persons p USING (person_id)" if run.has("persons") else ""
    relation = "'none'"
    if run.has("relations") and run.has("ownerships"):
        relation = (
            "CASE WHEN g.person_id IN (SELECT owner_id FROM db.ownerships WHERE property_id = $1)"
            " THEN 'owner' WHEN EXISTS (SELECT 1 FROM db.relations x JOIN db.ownerships o ON "
            "o.property_id = $1 AND (x.relative_id = o.owner_id AND x.person_id = g.person_id OR"
            " x.person_id = o.owner_id AND x.relative_id = g.person_id)) THEN 'family' "
            "ELSE 'none' END")
    rows = run.rows(
        f"SELECT g.registration_id, g.person_id, g.kind, g.start_date, g.end_date, "
        f"g.official_id, {citizenship} AS citizenship, {relation} AS relation, "
        f"count(*) OVER () AS total FROM db.registrations g {joins} "
        f"WHERE g.property_id = $1 ORDER BY g.start_date, g.registration_id "
        f"LIMIT {TIMELINE_CAP}", [property_id])
    total = rows[0]["total"] if rows else 0
    for row in rows:
        row.pop("total")
    return rows, total


def owner_detail(run: RunData, owner_id: str) -> dict[str, Any]:
    """One owner: ranking, evidence, properties held and networks."""
    ranked = _ranked(run, "r_owners", "owner_id", owner_id)
    properties = []
    if run.has("ownerships"):
        properties = run.rows(
            "SELECT o.property_id, o.share, o.start_date, o.end_date, r.rank, r.score, "
            "r.registered, r.area_m2, r.indicators FROM db.ownerships o LEFT JOIN r_properties"
            " r USING (property_id) WHERE o.owner_id = ? ORDER BY r.rank NULLS LAST",
            [owner_id])
    if ranked is None and not properties:
        raise NotFound(f"no owner {owner_id!r} in this run")
    for row in properties:
        row["indicators"] = _split(row["indicators"])
    networks = run.rows("SELECT network_id, score FROM r_networks WHERE "
                        "list_contains(string_split(members, ';'), ?)", [owner_id])
    return {"owner_id": owner_id, "ranked": ranked, "evidence": _evidence(run, "owner", owner_id),
            "properties": properties, "networks": networks}


def official_detail(run: RunData, official_id: str) -> dict[str, Any]:
    """One official: ranking, evidence and approvals compared with office peers."""
    ranked = _ranked(run, "r_officials", "official_id", official_id)
    info = (run.one("SELECT * FROM db.officials WHERE official_id = ?", [official_id])
            if run.has("officials") else None)
    if ranked is None and info is None:
        raise NotFound(f"no official {official_id!r} in this run")
    office_id = (info or {}).get("office_id") or (ranked or {}).get("office_id")
    peers, top_properties = [], []
    if run.has("registrations"):
        peers = run.rows(
            "SELECT g.official_id, count(*) AS approvals, count(*) FILTER (WHERE "
            "rp.indicators IS NOT NULL AND rp.indicators <> '') AS flagged_approvals, "
            "g.official_id = $2 AS is_self FROM db.registrations g LEFT JOIN r_properties rp "
            "USING (property_id) WHERE g.office_id = $1 AND g.official_id IS NOT NULL "
            "GROUP BY g.official_id ORDER BY approvals DESC", [office_id, official_id])
        top_properties = run.rows(
            "SELECT g.property_id, count(*) AS approvals, rp.rank, rp.score FROM "
            "db.registrations g LEFT JOIN r_properties rp USING (property_id) WHERE "
            "g.official_id = ? GROUP BY ALL ORDER BY rp.rank NULLS LAST LIMIT 20", [official_id])
    return {"official_id": official_id, "office_id": office_id, "ranked": ranked,
            "evidence": _evidence(run, "official", official_id), "peers": peers,
            "top_properties": top_properties}


def office_detail(run: RunData, office_id: str) -> dict[str, Any]:
    """One office: ranking, evidence and its officials."""
    ranked = _ranked(run, "r_offices", "office_id", office_id)
    info = (run.one("SELECT * FROM db.offices WHERE office_id = ?", [office_id])
            if run.has("offices") else None)
    if ranked is None and info is None:
        raise NotFound(f"no office {office_id!r} in this run")
    officials = run.rows("SELECT rank, official_id, score, indicators, explanation FROM "
                         "r_officials WHERE office_id = ? ORDER BY rank", [office_id])
    for row in officials:
        row["indicators"] = _split(row["indicators"])
    return {"office_id": office_id, "info": info, "ranked": ranked,
            "evidence": _evidence(run, "office", office_id), "officials": officials}


def network_detail(run: RunData, network_id: str) -> dict[str, Any]:
    """One broker network: its members as typed nodes and the links between them."""
    row = run.one("SELECT * FROM r_networks WHERE network_id = ?", [network_id])
    if row is None:
        raise NotFound(f"no network {network_id!r} in this run")
    members = _split(row["members"])
    nodes = {m: {"id": m, "type": "other", "score": None} for m in members}
    for table, key, kind in (("r_properties", "property_id", "property"),
                             ("r_owners", "owner_id", "owner"),
                             ("r_officials", "official_id", "official")):
        for hit in run.rows(f"SELECT {key} AS id, score FROM {table} WHERE "
                            f"list_contains(?, {key})", [members]):
            nodes[hit["id"]].update(type=kind, score=hit["score"])
    if run.has("properties"):
        for hit in run.rows("SELECT property_id AS id FROM db.properties WHERE "
                            "list_contains(?, property_id)", [members]):
            if nodes[hit["id"]]["type"] == "other":
                nodes[hit["id"]]["type"] = "property"
    edges = []
    if run.has("ownerships"):
        edges += run.rows("SELECT DISTINCT owner_id AS source, property_id AS target, 'owns' "
                          "AS label, 1 AS weight FROM db.ownerships WHERE list_contains($1, "
                          "owner_id) AND list_contains($1, property_id)", [members])
    if run.has("registrations"):
        edges += run.rows("SELECT official_id AS source, property_id AS target, 'approved' AS "
                          "label, count(*) AS weight FROM db.registrations WHERE list_contains("
                          "$1, official_id) AND list_contains($1, property_id) GROUP BY ALL",
                          [members])
    return {"network_id": network_id, "score": row["score"], "explanation": row["explanation"],
            "nodes": list(nodes.values()), "edges": edges}
