"""The special register: list of entries and one entry with live evidence, history and edits.

Reads go through the register room's functions (the same ones `/api/register` uses); edits
are sent by the page's form to `PATCH /api/register/{code}`, so reasons, versions and the
audit trail are kept in one place.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.register import entries
from zonewatch.register.evidence_cache import cached_live_evidence
from zonewatch.register.fields import FIELDS
from zonewatch.register.runs import latest_run
from zonewatch.service.deps import service_state
from zonewatch.store.models import ENTRY_STATUSES, MEASURE_STATUSES
from zonewatch.web.pages import Page, add_page

router = APIRouter()
EDITABLE = ("title", "summary", "zone", "status", "likelihood", "impact",
            "residual_likelihood", "residual_impact", "last_reviewed_on", "next_review_due")


def register_page(page: Page) -> dict[str, Any]:
    """Every entry, optionally of one status or zone."""
    status = page.query.get("status") or None
    if status and status not in ENTRY_STATUSES:
        raise ValueError(f"status must be one of {', '.join(ENTRY_STATUSES)}, not {status!r}")
    rows = entries.list_entries(page.db, status=status, zone=page.query.get("zone") or None)
    return {"entries": rows, "statuses": list(ENTRY_STATUSES), "status": status,
            "can_edit": page.can("edit_register")}


def entry_page(page: Page) -> dict[str, Any]:
    """One entry: current version, live evidence from the latest run, history, edit form."""
    code = page.params["code"]
    raw = page.query.get("version") or ""
    if raw and not raw.isdigit():
        raise ValueError(f"version must be a whole number, not {raw!r}")
    current = entries.get_entry(page.db, code)
    entry = entries.version(page.db, code, int(raw)) if raw else current
    run = None if latest_run(page.db) else service_state(page.request).run
    return {
        "entry": entry,
        "latest_version": current["version"],
        "evidence": cached_live_evidence(page.db, code, run),
        "history": entries.history(page.db, code),
        "editable": {name: FIELDS[name][2] for name in EDITABLE},
        "statuses": list(ENTRY_STATUSES),
        "measure_statuses": list(MEASURE_STATUSES),
        "can_edit": page.can("edit_register") and entry["version"] == current["version"],
    }


add_page(router, "/register", "register.html", "read_lists", register_page)
add_page(router, "/register/{code}", "register_entry.html", "read_lists", entry_page)
