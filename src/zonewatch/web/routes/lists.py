"""Overview, inspection list (with CSV/XLSX export) and the list of broker networks."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from zonewatch.register.runs import list_runs
from zonewatch.service import audit
from zonewatch.service.deps import DB
from zonewatch.store.errors import Invalid
from zonewatch.web.export import XLSX_TYPE, to_csv, to_xlsx
from zonewatch.web.pages import Page, add_page, error_response, page_user, served_run
from zonewatch.web.reads_lists import MAX_LIMIT, ListFilter, inspection_list, overview

router = APIRouter()


def overview_page(page: Page) -> dict[str, Any]:
    """Headline counts, hexagon map, trends across registered runs and top indicators."""
    return overview(page.run, list_runs(page.db))


def inspection_page(page: Page) -> dict[str, Any]:
    """The ranked, filtered inspection list."""
    data = inspection_list(page.viewer(), page.run, ListFilter.from_query(page.query))
    data["can_plan"] = page.can("plan")
    return data


add_page(router, "/overview", "overview.html", "read_lists", overview_page)
add_page(router, "/inspection", "inspection.html", "read_lists", inspection_page)


@router.get("/inspection.{fmt}", include_in_schema=False)
def export_list(fmt: str, request: Request, db: DB) -> Response:
    """The filtered inspection list as CSV or XLSX (up to MAX_LIMIT rows)."""
    user = page_user(request, db)
    lang = request.cookies.get("zonewatch_lang", "en")
    if user is None or user.role not in ("admin", "analyst", "auditor"):
        return error_response(request, 401 if user is None else 403,
                              "log in with a role that may read lists", user, lang, True)
    if fmt not in ("csv", "xlsx"):
        return error_response(request, 404, f"no export format {fmt!r}; use csv or xlsx",
                              user, lang, True)
    if served_run(request) is None:
        return error_response(request, 503, "no analysis run configured", user, lang, True)
    query = dict(request.query_params) | {"limit": request.query_params.get("limit",
                                                                           str(MAX_LIMIT))}
    try:
        viewer = Page(request, user, db, lang).viewer()
        rows = inspection_list(viewer, served_run(request), ListFilter.from_query(query))["rows"]
    except (ValueError, Invalid) as exc:
        return error_response(request, 400, str(exc), user, lang, True)
    name = f"inspection_list.{fmt}"
    audit.record(db, user, "export", "inspection_list", fmt,
                 {"rows": len(rows), "query": dict(request.query_params),
                  "masked": not viewer.clear})
    db.commit()
    body, media = (to_csv(rows), "text/csv; charset=utf-8") if fmt == "csv" else (
        to_xlsx(rows), XLSX_TYPE)
    return Response(body, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
