"""Read functions for the list pages: the overview and the inspection list.

Each returns a plain JSON-able dict: the page renders it and `.json` returns it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zonewatch.web.hexgrid import bin_points
from zonewatch.web.rundata import RunData

FLAGGED = "(indicators IS NOT NULL AND indicators <> '')"
SORTABLE = {"rank", "score", "registered", "area_m2", "district", "kind", "property_id"}
MAX_LIMIT = 5000


@dataclass(frozen=True)
class ListFilter:
    """What the inspection list shows: filters, order and page."""

    district: str | None = None
    kind: str | None = None
    indicator: str | None = None
    min_score: float | None = None
    flagged_only: bool = True
    sort: str = "rank"
    descending: bool = False
    limit: int = 100
    offset: int = 0

    @classmethod
    def from_query(cls, query: dict[str, str]) -> ListFilter:
        """Parse URL query parameters; a bad value raises ValueError naming the parameter."""
        sort = query.get("sort") or "rank"
        if sort not in SORTABLE:
            raise ValueError(f"sort must be one of {', '.join(sorted(SORTABLE))}, not {sort!r}")
        return cls(
            district=query.get("district") or None,
            kind=query.get("kind") or None,
            indicator=query.get("indicator") or None,
            min_score=_number(query, "min_score", float),
            flagged_only=query.get("all") not in {"1", "true", "yes"},
            sort=sort,
            descending=query.get("dir", "asc") == "desc",
            limit=min(_number(query, "limit", int) or 100, MAX_LIMIT),
            offset=_number(query, "offset", int) or 0,
        )


def _number(query: dict[str, str], name: str, kind: type) -> Any:
    raw = query.get(name)
    if raw in (None, ""):
        return None
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name} must be a number, not {raw!r}") from None
    if value < 0:
        raise ValueError(f"{name} must not be negative, not {raw!r}")
    return value


def _ranked_properties(run: RunData) -> str:
    """A subquery: ranked properties with district, kind and address when known."""
    if run.has("properties"):
        return ("(SELECT rp.*, p.district, p.kind, p.address FROM r_properties rp "
                "LEFT JOIN db.properties p USING (property_id))")
    return ("(SELECT *, NULL::VARCHAR AS district, NULL::VARCHAR AS kind, "
            "NULL::VARCHAR AS address FROM r_properties)")


def inspection_list(run: RunData, flt: ListFilter) -> dict[str, Any]:
    """Ranked properties after filters, with the options each filter offers."""
    where, params = [], []
    if flt.flagged_only:
        where.append(FLAGGED)
    for column, value in (("district", flt.district), ("kind", flt.kind)):
        if value:
            where.append(f"{column} = ?")
            params.append(value)
    if flt.indicator:
        where.append("list_contains(string_split(indicators, ';'), ?)")
        params.append(flt.indicator)
    if flt.min_score is not None:
        where.append("score >= ?")
        params.append(flt.min_score)
    source = f"{_ranked_properties(run)} WHERE {' AND '.join(where) or 'true'}"
    order = f"{flt.sort} {'DESC' if flt.descending else 'ASC'} NULLS LAST, rank"
    rows = run.rows(
        "SELECT rank, property_id, score, registered, area_m2, district, kind, address, "
        f"indicators, explanation FROM {source} ORDER BY {order} "
        f"LIMIT {int(flt.limit)} OFFSET {int(flt.offset)}", params)
    total = run.one(f"SELECT count(*) AS n FROM {source}", params)["n"]
    for row in rows:
        row["indicators"] = _split(row["indicators"])
    return {"filters": flt.__dict__, "total": total, "rows": rows,
            "options": run.cached("options", lambda: _options(run))}


def _options(run: RunData) -> dict[str, list[str]]:
    indicators = run.rows(
        "SELECT DISTINCT unnest(string_split(indicators, ';')) AS i FROM r_properties "
        f"WHERE {FLAGGED} ORDER BY 1")
    options = {"indicators": [r["i"] for r in indicators], "districts": [], "kinds": []}
    if run.has("properties"):
        options["districts"] = [r["d"] for r in run.rows(
            "SELECT DISTINCT district AS d FROM db.properties ORDER BY 1")]
        options["kinds"] = [r["k"] for r in run.rows(
            "SELECT DISTINCT kind AS k FROM db.properties ORDER BY 1")]
    return options


def overview(run: RunData, trends: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Headline counts, the hexagon map, top indicators and trends across runs."""
    return run.cached("overview", lambda: _run_overview(run)) | {"trends": trends or []}


def _run_overview(run: RunData) -> dict[str, Any]:
    """The part of the overview that depends on the run only (computed once per run)."""
    counts = {}
    for key, table in (("properties", "r_properties"), ("owners", "r_owners"),
                       ("officials", "r_officials"), ("offices", "r_offices")):
        row = run.one(f"SELECT count(*) AS total, count(*) FILTER (WHERE {FLAGGED}) AS flagged"
                      f" FROM {table}")
        counts[key] = row
    counts["networks"] = run.one("SELECT count(*) AS total, count(*) AS flagged FROM r_networks")
    top_indicators = run.rows(
        "SELECT entity_type, indicator_id, count(*) AS hits, round(avg(score), 3) AS mean_score"
        " FROM r_evidence GROUP BY ALL ORDER BY hits DESC, indicator_id LIMIT 12")
    if not top_indicators:
        top_indicators = run.rows(
            "SELECT 'property' AS entity_type, i AS indicator_id, count(*) AS hits, "
            "NULL AS mean_score FROM (SELECT unnest(string_split(indicators, ';')) AS i "
            f"FROM r_properties WHERE {FLAGGED}) GROUP BY i ORDER BY hits DESC LIMIT 12")
    districts, hexmap = [], bin_points([])
    if run.has("properties"):
        hexmap = run.cached("hexmap", lambda: bin_points(run.rows(
            f"SELECT p.lat, p.lon, p.district, rp.score, {FLAGGED.replace('ind', 'rp.ind')}"
            " AS flagged FROM db.properties p LEFT JOIN r_properties rp USING (property_id)")))
        districts = run.rows(
            "SELECT p.district, count(*) AS properties, count(*) FILTER (WHERE "
            f"{FLAGGED.replace('ind', 'rp.ind')}) AS flagged, round(max(rp.score), 3) AS "
            "max_score FROM db.properties p LEFT JOIN r_properties rp USING (property_id) "
            "GROUP BY p.district ORDER BY flagged DESC, p.district")
    top = run.rows("SELECT rank, property_id, score, registered, explanation FROM r_properties"
                   " ORDER BY rank LIMIT 10")
    networks = run.rows("SELECT network_id, score, len(string_split(members, ';')) AS size, "
                        "explanation FROM r_networks ORDER BY score DESC, network_id LIMIT 5")
    return {"as_of": run.as_of, "counts": counts, "top_indicators": top_indicators,
            "districts": districts, "hexmap": hexmap, "top_properties": top,
            "top_networks": networks,
            "skipped": _skipped(run.meta.get("indicators_skipped"))}


def _skipped(raw: Any) -> list[dict[str, Any]]:
    """Indicators not run and why, from run.json (a list of dicts or an id -> why mapping)."""
    if isinstance(raw, dict):
        return [{"id": k, "why": v} for k, v in raw.items()]
    return [r if isinstance(r, dict) else {"id": str(r), "why": ""} for r in raw or []]


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(";") if v]
