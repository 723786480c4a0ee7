"""The indicators page: what each red flag measures, why, its parameters, and its hits here.

Definitions come from the one catalogue of red flags (`zonewatch.indicators.catalogue`: the
SQL indicators and those the network room computes in Python); hits and weights from the
served run, so an analyst can read why a property was flagged.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.indicators.catalogue import catalogue
from zonewatch.web.pages import Page, add_page

router = APIRouter()


def indicators_page(page: Page) -> dict[str, Any]:
    """Every indicator defined or seen in the run, with its definition and hits."""
    run = page.run
    hits = {r["indicator_id"]: r for r in run.query(
        "SELECT indicator_id, any_value(entity_type) AS entity, count(DISTINCT entity_id) AS "
        "entities FROM r_evidence GROUP BY indicator_id")}
    weights = run.info().get("weights_used") or run.info().get("weights") or {}
    ran = set(run.info().get("indicators_run") or [])
    skipped = run.info().get("indicators_skipped") or {}
    if isinstance(skipped, list):
        skipped = {s.get("id"): s.get("why") for s in skipped if isinstance(s, dict)}
    flags = catalogue()
    rows = []
    for ind_id in [*flags, *sorted(set(hits) - set(flags))]:  # then ids only the run knows
        flag, hit = flags.get(ind_id), hits.get(ind_id, {})
        rows.append({
            "id": ind_id, "entity": flag.entity if flag else hit.get("entity"),
            "title": flag and flag.title, "description": flag and flag.description,
            "rationale": flag and flag.rationale,
            "params": [{"name": p.name, "default": p.default, "help": p.help}
                       for p in (flag.params if flag else ())],
            "register": list(flag.register) if flag else [],
            "weight": weights.get(ind_id, flag.weight if flag else None),
            "entities_flagged": hit.get("entities", 0),
            "ran": ind_id in ran or bool(hit), "skipped": skipped.get(ind_id)})
    return {"as_of": run.as_of, "indicators": rows}


add_page(router, "/indicators", "indicators.html", "read_lists", indicators_page)
