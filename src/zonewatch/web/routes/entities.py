"""Drill-down pages: property, owner, official, office and broker network.

Each page starts from the service's read function (`zonewatch.service.views`: masked for the
role and audited) and adds what only the page draws; the sum is the page's `.json`.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from sqlalchemy import select

from zonewatch.inspections.access import visit_ids_of
from zonewatch.network.settings import network_settings
from zonewatch.service import views, views_office
from zonewatch.store.models import PlanVisit
from zonewatch.web.pages import Page, add_page
from zonewatch.web.reads_entities import (
    MONTHLY_DAYS,
    network_graph,
    official_extras,
    owner_extras,
    property_extras,
    rename_ids,
)

router = APIRouter()


def property_page(page: Page) -> dict[str, Any]:
    """A property: the service's view plus timeline, approving officials and networks."""
    viewer = page.viewer()
    data = views.property_detail(viewer, page.params["property_id"])
    extras = property_extras(page.run, data["property_id"])
    if data["masked"]:
        extras["timeline"] = [viewer.masker.person(r) for r in extras["timeline"]]
    page.db.commit()
    return data | extras | {"can_record": page.can("record_outcome"),
                            "record_visits": _visits_to_record(page, data["property_id"])}


def _visits_to_record(page: Page, property_id: str) -> list[dict[str, Any]]:
    """Planned visits of this property an outcome can be recorded for (inspectors: own)."""
    stmt = select(PlanVisit).where(PlanVisit.property_id == property_id).order_by(
        PlanVisit.visit_on.desc(), PlanVisit.id)
    visits = page.db.scalars(stmt).all()
    if page.user.role == "inspector":
        own = visit_ids_of(page.db, page.user.username)
        visits = [v for v in visits if v.id in own]
    return [{"visit_id": v.id, "plan_id": v.plan_id, "visit_on": v.visit_on.isoformat(),
             "team": v.team} for v in visits]


def owner_page(page: Page) -> dict[str, Any]:
    """An owner: the service's view plus the scores of the properties held."""
    viewer = page.viewer()
    data = views.owner_detail(viewer, page.params["owner_id"])
    extras = owner_extras(page.run, views.resolve_owner_id(viewer, page.params["owner_id"]))
    page.db.commit()
    return data | extras


def official_page(page: Page) -> dict[str, Any]:
    """An official: the service's view plus approvals compared with office peers."""
    data = views.official_detail(page.viewer(), page.params["official_id"])
    page.db.commit()
    data["approvals_by_property"].sort(key=lambda r: (-r["registrations"], r["property_id"]))
    window = network_settings().official_window_days
    data["windows"] = {"judged_days": window, "monthly_days": MONTHLY_DAYS,
                       "as_of": page.run.as_of()}
    return data | official_extras(page.run, data["official_id"], window)


def network_page(page: Page) -> dict[str, Any]:
    """A network: the service's (masked) row plus its graph under the same ids."""
    data = views.network_detail(page.viewer(), page.params["network_id"])
    graph = network_graph(page.run, data["network_id"])
    shown = dict(zip(graph.pop("members"), data["members"].split(";"), strict=True))
    return data | rename_ids(graph, shown)


add_page(router, "/property/{property_id}", "property.html", "read_plans", property_page)
add_page(router, "/owner/{owner_id}", "owner.html", "read_lists", owner_page)
add_page(router, "/official/{official_id}", "official.html", "read_lists", official_page)
def office_page(page: Page) -> dict[str, Any]:
    """An office: the service's view (`office_detail`); the template calls the record `info`."""
    data = views_office.office_detail(page.viewer(), page.params["office_id"])
    return data | {"info": data["record"]}


add_page(router, "/office/{office_id}", "office.html", "read_lists", office_page)
add_page(router, "/network/{network_id}", "network.html", "read_lists", network_page)
