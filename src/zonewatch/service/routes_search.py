"""`/api/search?q=` and `/api/persons/{id}`: find people, properties, owners and officials."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from zonewatch.service.deps import viewer_with
from zonewatch.service.people import person_detail
from zonewatch.service.search import LIMIT, search
from zonewatch.service.views import Viewer

router = APIRouter(tags=["search"])
Lister = Annotated[Viewer, Depends(viewer_with("read_lists"))]


@router.get("/search")
def search_all(v: Lister, q: Annotated[str, Query(min_length=2, max_length=200)],
               limit: Annotated[int, Query(ge=1, le=100)] = LIMIT) -> dict:
    """Persons (IIN, name, id or pseudonym; names and IINs for roles that see them),
    properties (id, address), organizations (name, BIN) and officials matching `q`."""
    result = search(v, q, limit)
    v.db.commit()
    return result


@router.get("/persons/{person_id}")
def get_person(person_id: str, v: Lister) -> dict:
    """One person (id or pseudonym): registrations, co-registrants, approving officials,
    properties owned and relatives, masked per role."""
    result = person_detail(v, person_id)
    v.db.commit()
    return result
