"""Read functions for the drill-down pages: property, owner, official, network extras.

The service's read functions (`zonewatch.service.views`) give each entity's record, masked and
audited; these functions add what only the pages draw (timeline, peers, graph) and never
return names. Person ids they return are masked by the caller with the same masker.
"""

from __future__ import annotations

from typing import Any

from zonewatch.errors import NotFound
from zonewatch.rundir import RunDir

TIMELINE_CAP = 300


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(";") if v]


def _ranked(run: RunDir, table: str, key: str, entity_id: str) -> dict[str, Any] | None:
    row = run.one(f"SELECT * FROM {table} WHERE {key} = ?", [entity_id])
    if row:
        row["indicators"] = _split(row.get("indicators"))
    return row


def _evidence(run: RunDir, entity_type: str, entity_id: str) -> list[dict[str, Any]]:
    return run.query("SELECT indicator_id, value, threshold, score, evidence FROM r_evidence "
                    "WHERE entity_type = ? AND entity_id = ? ORDER BY score DESC NULLS LAST",
                    [entity_type, entity_id])


def property_extras(run: RunDir, property_id: str) -> dict[str, Any]:
    """What the property page adds to the service's property view: the registration timeline
    (citizenship, relation to the owner), approving officials, networks, extract inspections."""
    officials, timeline, inspections, total = [], [], [], 0
    if run.has_table("registrations"):
        officials = run.query(
            "SELECT g.official_id, g.office_id, count(*) AS approvals, r.rank, r.score "
            f"FROM {_registrations(run)} g LEFT JOIN r_officials r USING (official_id) "
            "WHERE g.property_id = ? AND g.official_id IS NOT NULL "
            "GROUP BY ALL ORDER BY approvals DESC, g.official_id", [property_id])
        timeline, total = _timeline(run, property_id)
    if run.has_table("inspections"):
        inspections = run.query(
            "SELECT inspection_id, inspected_on, outcome, persons_found, fictitious_count, "
            "brokering, notes FROM inspections WHERE property_id = ? "
            "ORDER BY inspected_on DESC", [property_id])
    networks = run.query("SELECT network_id, score FROM r_networks WHERE "
                        "list_contains(string_split(members, ';'), ?) "
                        "ORDER BY score DESC, network_id",
                        [property_id])
    return {"as_of": run.as_of(), "approving_officials": officials, "timeline": timeline,
            "timeline_total": total, "extract_inspections": inspections, "networks": networks}


def _registrations(run: RunDir) -> str:
    """Registrations sorted by property (the run's copy the service's views read too)."""
    return run.lookup("registrations", "property_id")


def warm_drilldown(run: RunDir) -> None:
    """Make the sorted copies the property page and its API twin read, before the first
    visitor needs them."""
    for table, key in (("registrations", "property_id"), ("persons", "person_id"),
                       ("ownerships", "property_id"), ("properties", "property_id")):
        if run.has_table(table):
            run.lookup(table, key)
    _family_of(run, ["-"])


def _family_of(run: RunDir, owners: list[str]) -> set[str]:
    """Persons with a declared family tie to any of `owners`."""
    if not owners or not run.has_table("relations"):
        return set()
    kin = run.sorted_copy("w_kin", "SELECT person_id AS a, relative_id AS b FROM relations "
                          "UNION ALL SELECT relative_id, person_id FROM relations", "a")
    marks = ", ".join("?" * len(owners))
    return {r["b"] for r in run.query(f"SELECT b FROM {kin} WHERE a IN ({marks})", owners)}


def _timeline(run: RunDir, property_id: str) -> tuple[list[dict[str, Any]], int]:
    """The property's registrations (first TIMELINE_CAP by start) with citizenship and the
    person's relation to the property's owners."""
    regs = _registrations(run)
    rows = run.query(f"SELECT registration_id, person_id, kind, start_date, end_date, "
                    f"official_id, count(*) OVER () AS total FROM {regs} WHERE property_id = ? "
                    f"ORDER BY start_date, registration_id LIMIT {TIMELINE_CAP}", [property_id])
    owners = [r["owner_id"] for r in run.query(
        "SELECT owner_id FROM ownerships WHERE property_id = ?", [property_id])
        ] if run.has_table("ownerships") else []
    family = _family_of(run, owners)
    citizenship: dict[str, str] = {}
    people = sorted({r["person_id"] for r in rows})
    if people and run.has_table("persons"):
        table = run.lookup("persons", "person_id")
        marks = ", ".join("?" * len(people))
        citizenship = {r["person_id"]: r["citizenship"] for r in run.query(
            f"SELECT person_id, citizenship FROM {table} WHERE person_id IN ({marks})", people)}
    total = rows[0]["total"] if rows else 0
    for row in rows:
        row.pop("total")
        row["citizenship"] = citizenship.get(row["person_id"])
        row["relation"] = ("owner" if row["person_id"] in owners else
                           "family" if row["person_id"] in family else "none")
    return rows, total


def owner_extras(run: RunDir, owner_id: str) -> dict[str, Any]:
    """Scores of the properties an owner holds and the networks the owner is in."""
    properties = []
    if run.has_table("ownerships"):
        properties = run.query(
            "SELECT o.property_id, r.rank, r.score, r.registered, r.indicators "
            "FROM ownerships o JOIN r_properties r USING (property_id) "
            "WHERE o.owner_id = ? ORDER BY r.rank, o.property_id", [owner_id])
    for row in properties:
        row["indicators"] = _split(row["indicators"])
    networks = run.query("SELECT network_id, score FROM r_networks WHERE "
                        "list_contains(string_split(members, ';'), ?) "
                        "ORDER BY score DESC, network_id",
                        [owner_id])
    return {"property_scores": properties, "networks": networks}


MONTHLY_DAYS = 730  # the official's approvals per month are drawn over this many days


def official_extras(run: RunDir, official_id: str,
                    window_days: int | None = None) -> dict[str, Any]:
    """An official's office and approvals compared with the peers of that office (approvals
    started within `window_days` before the as-of date when given: the explanation's window)."""
    info = (run.one("SELECT office_id FROM officials WHERE official_id = ?", [official_id])
            if run.has_table("officials") else None)
    ranked = run.one("SELECT office_id FROM r_officials WHERE official_id = ?", [official_id])
    office_id = (info or ranked or {}).get("office_id")
    peers = []
    if run.has_table("registrations") and office_id:
        peers = run.query(
            "SELECT g.official_id, count(*) AS approvals, count(*) FILTER (WHERE "
            "rp.indicators IS NOT NULL AND rp.indicators <> '') AS flagged_approvals, "
            "g.official_id = $2 AS is_self FROM registrations g LEFT JOIN r_properties rp "
            "USING (property_id) WHERE g.office_id = $1 AND g.official_id IS NOT NULL "
            + ("AND g.start_date <= CAST($3 AS DATE) AND g.start_date > CAST($3 AS DATE) - "
               "to_days(CAST($4 AS INTEGER)) " if window_days and run.as_of() else "")
            + "GROUP BY g.official_id ORDER BY approvals DESC, g.official_id",
            [office_id, official_id] + ([run.as_of(), window_days]
                                        if window_days and run.as_of() else []))
    return {"office_id": office_id, "peers": peers,
            "monthly": _monthly(run, office_id, official_id, len(peers))}


def _monthly(run: RunDir, office_id: str | None, official_id: str,
             officials: int) -> list[dict[str, Any]]:
    """Approvals per month over the last two years: this official vs the mean office peer."""
    if not run.has_table("registrations") or not office_id or not run.as_of():
        return []
    rows = run.query(
        "SELECT strftime(date_trunc('month', start_date), '%Y-%m') AS month, "
        "count(*) FILTER (WHERE official_id = $2) AS own, "
        "count(*) FILTER (WHERE official_id <> $2) AS others FROM registrations "
        "WHERE office_id = $1 AND official_id IS NOT NULL "
        "AND start_date > CAST($3 AS DATE) - to_days(CAST($4 AS INTEGER)) "
        "AND start_date <= CAST($3 AS DATE) GROUP BY 1 ORDER BY 1",
        [office_id, official_id, run.as_of(), MONTHLY_DAYS])
    peers = max(officials - 1, 1)
    return [{"month": r["month"], "own": r["own"], "peer_mean": round(r["others"] / peers, 2)}
            for r in rows]


def network_graph(run: RunDir, network_id: str) -> dict[str, Any]:
    """A broker network's members as typed nodes and the links between them (real ids)."""
    row = run.one("SELECT * FROM r_networks WHERE network_id = ?", [network_id])
    if row is None:
        raise NotFound(f"no network {network_id!r} in this run")
    members = _split(row["members"])
    nodes = {m: {"id": m, "type": "other", "score": None} for m in members}
    marks = ", ".join("?" * len(members)) or "NULL"
    for table, key, kind in (("r_properties", "property_id", "property"),
                             ("r_owners", "owner_id", "owner"),
                             ("r_officials", "official_id", "official")):
        for hit in run.query(f"SELECT {key} AS id, score FROM {table} WHERE {key} IN ({marks})",
                            members):
            nodes[hit["id"]].update(type=kind, score=hit["score"])
    properties = [m for m, n in nodes.items() if n["type"] in ("property", "other")]
    edges = []
    if run.has_table("ownerships"):
        edges += run.query("SELECT DISTINCT owner_id AS source, property_id AS target, 'owns' "
                          f"AS label, 1 AS weight FROM ownerships WHERE owner_id IN ({marks})"
                          f" AND property_id IN ({marks}) ORDER BY source, target",
                          members + members)
    if run.has_table("registrations") and properties:
        props = ", ".join("?" * len(properties))
        edges += run.query("SELECT official_id AS source, property_id AS target, 'approved' AS "
                          f"label, count(*) AS weight FROM {_registrations(run)} WHERE "
                          f"property_id IN ({props}) AND official_id IN ({marks}) GROUP BY ALL "
                          "ORDER BY source, target", properties + members)
    for edge in edges:
        nodes[edge["target"]]["type"] = "property"
    if run.has_table("relations"):
        edges += run.query("SELECT person_id AS source, relative_id AS target, 'family' AS "
                          "label, 1 AS weight FROM relations WHERE person_id IN "
                          f"({marks}) AND relative_id IN ({marks}) ORDER BY source, target",
                          members + members)
    return {"members": members, "nodes": list(nodes.values()), "edges": edges}


def rename_ids(graph: dict[str, Any], shown: dict[str, str]) -> dict[str, Any]:
    """The graph with ids replaced as `shown` says (pseudonyms for masked viewers)."""
    nodes = [n | {"id": shown.get(n["id"], n["id"])} for n in graph["nodes"]]
    edges = [e | {"source": shown.get(e["source"], e["source"]),
                  "target": shown.get(e["target"], e["target"])} for e in graph["edges"]]
    return {"nodes": nodes, "edges": edges}
