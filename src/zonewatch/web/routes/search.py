"""The search page (`/search?q=`) and the person page (`/person/{id}`).

Both are the service's read functions (`service.search.search`, `service.people.
person_detail`: masked per role and audited) rendered; `.json` gives the same dicts.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.service.people import person_detail
from zonewatch.service.search import MIN_QUERY, search
from zonewatch.web.pages import Page, add_page

router = APIRouter()


def search_page(page: Page) -> dict[str, Any]:
    """Everything matching `q`; an empty form without one."""
    q = (page.query.get("q") or "").strip()
    if len(q) < MIN_QUERY:
        return {"q": q, "masked": None, "persons": [], "properties": [], "organizations": [],
                "officials": [], "searched": False}
    data = search(page.viewer(), q)
    page.db.commit()
    return data | {"searched": True}


def person_page(page: Page) -> dict[str, Any]:
    """One person: registrations, with whom, approved by whom, owned, relatives."""
    data = person_detail(page.viewer(), page.params["person_id"])
    page.db.commit()
    return data


add_page(router, "/search", "search.html", "read_lists", search_page)
add_page(router, "/person/{person_id}", "person.html", "read_lists", person_page)
