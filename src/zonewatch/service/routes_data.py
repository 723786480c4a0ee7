"""Ranked lists (paged, filtered, sorted) and one property / owner / official / network."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from zonewatch.service import views, views_office
from zonewatch.service.deps import CurrentUser, Run, viewer_with
from zonewatch.service.views import Viewer

router = APIRouter(tags=["analysis"])
Lister = Annotated[Viewer, Depends(viewer_with("read_lists"))]
PropertyReader = Annotated[Viewer, Depends(viewer_with("read_plans"))]


@router.get("/run")
def run_info(run: Run, _: CurrentUser) -> dict:
    """The analysis run served: path, as-of date and run.json."""
    as_of = run.as_of()
    return {
        "path": str(run.path),
        "as_of": as_of.isoformat() if as_of else None,
        "info": run.info(),
    }


def _page(
    v: Viewer,
    kind: str,
    page: int,
    per_page: int,
    sort: str,
    order: str,
    q: str | None,
    indicator: str | None,
    min_score: float | None,
    district: str | None = None,
    property_kind: str | None = None,
    flagged_only: bool = False,
) -> dict:
    result = views.ranked_page(
        v,
        kind,
        page=page,
        per_page=per_page,
        sort=sort,
        order=order,
        q=q,
        indicator=indicator,
        min_score=min_score,
        district=district,
        property_kind=property_kind,
        flagged_only=flagged_only,
    )
    v.db.commit()
    return result


Page = Annotated[int, Query(ge=1, description="page number, from 1")]
PerPage = Annotated[int, Query(ge=1, le=views.MAX_PER_PAGE)]
Order = Annotated[str, Query(pattern="^(asc|desc)$")]


def _list_route(kind: str) -> None:
    def handler(
        v: Lister,
        page: Page = 1,
        per_page: PerPage = 50,
        sort: str = "rank",
        order: Order = "asc",
        q: str | None = None,
        indicator: str | None = None,
        min_score: float | None = None,
        district: str | None = None,
        property_kind: str | None = None,
        flagged_only: bool = False,
    ) -> dict:
        return _page(v, kind, page, per_page, sort, order, q, indicator, min_score, district,
                     property_kind, flagged_only)

    handler.__doc__ = (f"Ranked {kind}: paged, filtered by id text / indicator / score "
                       "(properties also by district and property_kind), flagged_only, sorted.")
    router.add_api_route(f"/{kind}", handler, methods=["GET"], name=f"list_{kind}")


for _kind in ("properties", "owners", "officials", "offices", "networks"):
    _list_route(_kind)


@router.get("/properties/{property_id}")
def get_property(property_id: str, v: PropertyReader) -> dict:
    """One property with evidence, owners, registrations (masked per role), inspections."""
    result = views.property_detail(v, property_id)
    v.db.commit()
    return result


@router.get("/owners/{owner_id}")
def get_owner(owner_id: str, v: Lister) -> dict:
    """One owner (id or pseudonym) with evidence and the properties they own."""
    result = views.owner_detail(v, owner_id)
    v.db.commit()
    return result


@router.get("/officials/{official_id}")
def get_official(official_id: str, v: Lister) -> dict:
    """One official with evidence and the registrations they approved, per property."""
    result = views.official_detail(v, official_id)
    v.db.commit()
    return result


@router.get("/offices/{office_id}")
def get_office(office_id: str, v: Lister) -> dict:
    """One office with evidence and its ranked officials."""
    return views_office.office_detail(v, office_id)


@router.get("/networks/{network_id}")
def get_network(network_id: str, v: Lister) -> dict:
    """One broker network with its members."""
    return views.network_detail(v, network_id)
