"""Ranked owners, officials, offices and networks: the service's `ranked_page`, as pages.

The same function serves `/api/owners` etc., so a page, its `.json` and the API agree
(masking of owner ids and network members included).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from zonewatch.service import views
from zonewatch.web.pages import Page, add_page

router = APIRouter()
KINDS = ("owners", "officials", "offices", "networks")


def _number(page: Page, name: str, default: int | None = None) -> int | None:
    raw = page.query.get(name)
    if raw in (None, ""):
        return default
    if not raw.isdigit():
        raise ValueError(f"{name} must be a whole number, not {raw!r}")
    return int(raw)


def ranked_page(page: Page, kind: str) -> dict[str, Any]:
    """One page of a ranked list with the filters the service offers."""
    raw_score = page.query.get("min_score") or None
    try:
        min_score = float(raw_score) if raw_score is not None else None
    except ValueError:
        raise ValueError(f"min_score must be a number, not {raw_score!r}") from None
    data = views.ranked_page(
        page.viewer(), kind, page=_number(page, "page", 1), per_page=_number(page, "per_page", 50),
        sort=page.query.get("sort") or "rank", order=page.query.get("order") or "asc",
        q=page.query.get("q") or None, indicator=page.query.get("indicator") or None,
        min_score=min_score)
    page.db.commit()
    for item in data["items"]:
        if kind == "networks":
            item["size"] = len([m for m in (item.get("members") or "").split(";") if m])
    data["query"] = {k: page.query.get(k, "") for k in ("q", "indicator", "min_score", "sort",
                                                        "order")}
    return data


def _register(kind: str) -> None:
    add_page(router, f"/{kind}", "ranked.html", "read_lists",
             lambda page: ranked_page(page, kind))


for _kind in KINDS:
    _register(_kind)
