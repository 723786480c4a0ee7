"""The audit trail as a page (admins, auditors): who read or changed what, newest first.

It shows the service's `audit.events`, the same function behind `GET /api/audit`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.service import audit
from zonewatch.service.masking import Masker
from zonewatch.web.pages import Page, add_page

router = APIRouter()
LIMIT = 500


def audit_page(page: Page) -> dict[str, Any]:
    """The newest events, optionally of one user or one kind of target."""
    username = page.query.get("username") or None
    target_type = page.query.get("target_type") or None
    events = audit.events(page.db, username=username, target_type=target_type, limit=LIMIT)
    events = audit.masked_for(events, page.user.role,
                              Masker(page.request.app.state.zonewatch.pseudonym_key))
    return {"events": events, "username": username, "target_type": target_type,
            "limit": LIMIT}


add_page(router, "/audit", "audit.html", "audit", audit_page)
