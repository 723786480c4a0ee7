"""The indicators page: what each red flag measures, why, its parameters, and its hits here.

Definitions come from the indicators room (`zonewatch.indicators.spec.load_indicators`) and,
for the ids computed in Python, from the network room (`zonewatch.network.indicator_catalog`);
hits and weights from the served run, so an analyst can read why a property was flagged.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.web.pages import Page, add_page

router = APIRouter()


def _catalog() -> list[Any]:
    try:
        from zonewatch.indicators.spec import load_indicators

        return load_indicators()
    except Exception:  # noqa: BLE001 - the page still lists the run's own indicator ids
        return []


def _python_catalog() -> dict[str, dict[str, Any]]:
    try:
        from zonewatch.network import indicator_catalog

        return indicator_catalog()
    except Exception:  # noqa: BLE001 - the page still lists the run's own indicator ids
        return {}


def indicators_page(page: Page) -> dict[str, Any]:
    """Every indicator defined or seen in the run, with its definition and hits."""
    run = page.run
    hits = {r["indicator_id"]: r for r in run.rows(
        "SELECT indicator_id, any_value(entity_type) AS entity, count(DISTINCT entity_id) AS "
        "entities FROM r_evidence GROUP BY indicator_id")}
    weights = run.meta.get("weights_used") or run.meta.get("weights") or {}
    ran = set(run.meta.get("indicators_run") or [])
    skipped = run.meta.get("indicators_skipped") or {}
    if isinstance(skipped, list):
        skipped = {s.get("id"): s.get("why") for s in skipped if isinstance(s, dict)}
    rows, seen = [], set()
    for ind in _catalog():
        seen.add(ind.id)
        rows.append({
            "id": ind.id, "entity": ind.entity, "title": ind.title,
            "description": ind.description, "rationale": ind.rationale,
            "params": [{"name": p.name, "default": p.default, "help": p.help}
                       for p in ind.params],
            "register": list(ind.register), "weight": weights.get(ind.id, ind.weight),
            "entities_flagged": hits.get(ind.id, {}).get("entities", 0),
            "ran": ind.id in ran or ind.id in hits, "skipped": skipped.get(ind.id)})
    python = _python_catalog()
    for ind_id in [*sorted(set(python) - seen), *sorted(set(hits) - seen - set(python))]:
        hit, doc = hits.get(ind_id, {}), python.get(ind_id, {})
        rows.append({"id": ind_id, "entity": doc.get("entity") or hit.get("entity"),
                     "title": doc.get("title"), "description": doc.get("description"),
                     "rationale": doc.get("rationale"), "params": [],
                     "register": list(doc.get("register", [])), "weight": weights.get(ind_id),
                     "entities_flagged": hit.get("entities", 0),
                     "ran": ind_id in ran or bool(hit), "skipped": skipped.get(ind_id)})
    return {"as_of": run.as_of, "indicators": rows}


add_page(router, "/indicators", "indicators.html", "read_lists", indicators_page)
