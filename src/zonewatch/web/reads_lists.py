"""Read functions for the list pages: the overview and the inspection list (whose rows come
from the service's `ranked_page`).

Each returns a plain JSON-able dict: the page renders it and `.json` returns it unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from zonewatch.rundir import RunDir
from zonewatch.service import views
from zonewatch.service.views import Viewer
from zonewatch.web.hexgrid import bin_points

FLAGGED = "(indicators IS NOT NULL AND indicators <> '')"
SORTABLE = {"rank", "score", "registered", "area_m2", "district", "kind", "property_id"}
MAX_LIMIT = 5000


@dataclass(frozen=True)
class ListFilter:
    """What the inspection list shows: filters, order and page."""

    q: str | None = None
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
            q=(query.get("q") or "").strip() or None,
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


ROW_COLUMNS = ("rank", "property_id", "score", "registered", "area_m2", "district", "kind",
               "address", "indicators", "explanation")


def inspection_list(v: Viewer, run: RunDir, flt: ListFilter) -> dict[str, Any]:
    """Ranked properties after filters (the service's `ranked_page`: one code path with
    `/api/properties`), with the options each filter offers (from the page's run)."""
    limit = max(int(flt.limit), 1)
    data = views.ranked_page(
        v, "properties", page=int(flt.offset) // limit + 1, per_page=limit, sort=flt.sort,
        order="desc" if flt.descending else "asc", q=flt.q, indicator=flt.indicator,
        min_score=flt.min_score, district=flt.district, property_kind=flt.kind,
        flagged_only=flt.flagged_only)
    rows = [{c: item.get(c) for c in ROW_COLUMNS} for item in data["items"]]
    for row in rows:
        row["indicators"] = _split(row["indicators"])
    shown = {**flt.__dict__, "offset": (data["page"] - 1) * limit, "limit": limit}
    return {"filters": shown, "total": data["total"], "rows": rows,
            "options": run.cached("options", lambda: _options(run))}


def _options(run: RunDir) -> dict[str, list[str]]:
    indicators = run.query(
        "SELECT DISTINCT unnest(string_split(indicators, ';')) AS i FROM r_properties "
        f"WHERE {FLAGGED} ORDER BY 1")
    options = {"indicators": [r["i"] for r in indicators], "districts": [], "kinds": []}
    if run.has_table("properties"):
        options["districts"] = [r["d"] for r in run.query(
            "SELECT DISTINCT district AS d FROM properties ORDER BY 1")]
        options["kinds"] = [r["k"] for r in run.query(
            "SELECT DISTINCT kind AS k FROM properties ORDER BY 1")]
    return options


def overview(run: RunDir, trends: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Headline counts, the hexagon map, top indicators and trends across runs."""
    return run.cached("overview", lambda: _run_overview(run)) | {"trends": trends or []}


def _run_overview(run: RunDir) -> dict[str, Any]:
    """The part of the overview that depends on the run only (computed once per run)."""
    counts = {}
    for key, table in (("properties", "r_properties"), ("owners", "r_owners"),
                       ("officials", "r_officials"), ("offices", "r_offices")):
        row = run.one(f"SELECT count(*) AS total, count(*) FILTER (WHERE {FLAGGED}) AS flagged"
                      f" FROM {table}")
        counts[key] = row
    counts["networks"] = run.one("SELECT count(*) AS total, count(*) AS flagged FROM r_networks")
    top_indicators = run.query(
        "SELECT entity_type, indicator_id, count(*) AS hits, round(avg(score), 3) AS mean_score"
        " FROM r_evidence GROUP BY ALL ORDER BY hits DESC, indicator_id LIMIT 12")
    if not top_indicators:
        top_indicators = run.query(
            "SELECT 'property' AS entity_type, i AS indicator_id, count(*) AS hits, "
            "NULL AS mean_score FROM (SELECT unnest(string_split(indicators, ';')) AS i "
            f"FROM r_properties WHERE {FLAGGED}) GROUP BY i ORDER BY hits DESC LIMIT 12")
    districts, hexmap = [], bin_points([])
    if run.has_table("properties"):
        hexmap = run.cached("hexmap", lambda: bin_points(run.query(
            f"SELECT p.lat, p.lon, p.district, rp.score, {FLAGGED.replace('ind', 'rp.ind')}"
            " AS flagged FROM properties p LEFT JOIN r_properties rp USING (property_id)")))
        districts = run.query(
            "SELECT p.district, count(*) AS properties, count(*) FILTER (WHERE "
            f"{FLAGGED.replace('ind', 'rp.ind')}) AS flagged, round(max(rp.score), 3) AS "
            "max_score FROM properties p LEFT JOIN r_properties rp USING (property_id) "
            "GROUP BY p.district ORDER BY flagged DESC, p.district")
    top = run.query("SELECT rank, property_id, score, registered, explanation FROM r_properties"
                   " ORDER BY rank LIMIT 10")
    networks = run.query("SELECT network_id, score, len(string_split(members, ';')) AS size, "
                        "explanation FROM r_networks ORDER BY score DESC, network_id LIMIT 5")
    return {"as_of": run.as_of(), "counts": counts, "top_indicators": top_indicators,
            "districts": districts, "hexmap": hexmap, "top_properties": top,
            "top_networks": networks,
            "skipped": _skipped(run.info().get("indicators_skipped")),
            "estimate": _estimate(run.info().get("inspection_estimate"))}


def _estimate(raw: Any) -> list[dict[str, Any]]:
    """How common fictitious registration is, from run.json's `inspection_estimate` (the
    latest plan's probability sample): one row per share with its 95% interval."""
    if not isinstance(raw, dict) or raw.get("status") != "ok":
        return []
    rows = []
    for key in ("share_of_flagged_with_fictitious", "share_with_fictitious",
                "fictitious_share_of_registrants"):
        value = raw.get(key)
        if isinstance(value, dict) and "estimate" in value:
            rows.append({"key": key, "estimate": value["estimate"], "ci95": value["ci95"],
                         "visits": raw.get("visits")})
    return rows


def _skipped(raw: Any) -> list[dict[str, Any]]:
    """Indicators not run and why, from run.json (a list of dicts or an id -> why mapping)."""
    if isinstance(raw, dict):
        return [{"id": k, "why": v} for k, v in raw.items()]
    return [r if isinstance(r, dict) else {"id": str(r), "why": ""} for r in raw or []]


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split(";") if v]
