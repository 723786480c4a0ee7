"""Drill-down pages: property, owner, official, office and broker network."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.service import audit
from zonewatch.web.pages import Page, add_page
from zonewatch.web.reads_entities import (
    network_detail,
    office_detail,
    official_detail,
    owner_detail,
    property_detail,
)

router = APIRouter()


def property_page(page: Page) -> dict[str, Any]:
    """A property with its timeline; person ids are pseudonymised for roles that need it."""
    data = property_detail(page.run, page.params["property_id"])
    masker = page.masker()
    data["masked"] = masker is not None
    if masker is not None:
        data["timeline"] = [masker.person(r) for r in data["timeline"]]
    else:
        audit.record(page.db, page.user, "read", "property", data["property_id"],
                     {"persons": len(data["timeline"])})
        page.db.commit()
    data["can_record"] = page.can("record_outcome")
    return data


add_page(router, "/property/{property_id}", "property.html", "read_lists", property_page)
add_page(router, "/owner/{owner_id}", "owner.html", "read_lists",
         lambda page: owner_detail(page.run, page.params["owner_id"]))
add_page(router, "/official/{official_id}", "official.html", "read_lists",
         lambda page: official_detail(page.run, page.params["official_id"]))
add_page(router, "/office/{office_id}", "office.html", "read_lists",
         lambda page: office_detail(page.run, page.params["office_id"]))
add_page(router, "/network/{network_id}", "network.html", "read_lists",
         lambda page: network_detail(page.run, page.params["network_id"]))
