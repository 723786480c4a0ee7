"""Overview, inspection list (with streamed CSV/XLSX export) and the downloads page."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, Response, StreamingResponse
from starlette.background import BackgroundTask

from zonewatch.inspections.progress import field_status
from zonewatch.products.tables import XLSX_TYPE, csv_chunks, write_xlsx
from zonewatch.register.runs import list_runs
from zonewatch.service import audit
from zonewatch.service.deps import DB, PERMISSIONS
from zonewatch.store.errors import Invalid
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
    data["field_status"] = field_status(page.db, (r["property_id"] for r in data["rows"]))
    return data


add_page(router, "/overview", "overview.html", "read_lists", overview_page)
add_page(router, "/inspection", "inspection.html", "read_lists", inspection_page)


@router.get("/inspection.{fmt}", include_in_schema=False)
def export_list(fmt: str, request: Request, db: DB) -> Response:
    """The filtered inspection list as CSV or XLSX: every matching row (or `limit` rows),
    streamed page by page; X-Total-Rows says how many."""
    user = page_user(request, db)
    lang = request.cookies.get("zonewatch_lang", "en")
    if user is None or user.role not in PERMISSIONS["read_lists"]:
        return error_response(request, 401 if user is None else 403,
                              "log in with a role that may read lists", user, lang, True)
    if fmt not in ("csv", "xlsx"):
        return error_response(request, 404, f"no export format {fmt!r}; use csv or xlsx",
                              user, lang, True)
    if served_run(request) is None:
        return error_response(request, 503, "no analysis run configured", user, lang, True)
    try:
        viewer = Page(request, user, db, lang).viewer()
        query = dict(request.query_params)
        wanted = int(query["limit"]) if query.get("limit") else None
        flt = ListFilter.from_query(query | {"limit": str(MAX_LIMIT), "offset": "0"})
        first = inspection_list(viewer, served_run(request), flt)
        if wanted is not None and wanted < 0:
            raise ValueError("limit must not be negative")
    except (ValueError, Invalid) as exc:
        return error_response(request, 400, str(exc), user, lang, True)
    total = first["total"] if wanted is None else min(wanted, first["total"])
    audit.record(db, user, "export", "inspection_list", fmt,
                 {"rows": total, "query": dict(request.query_params),
                  "masked": not viewer.clear})
    db.commit()
    chunks = _chunks(viewer, served_run(request), flt, first["rows"], total)
    headers = {"Content-Disposition": f'attachment; filename="inspection_list.{fmt}"',
               "X-Total-Rows": str(total)}
    if fmt == "csv":
        return StreamingResponse(csv_chunks(chunks), media_type="text/csv; charset=utf-8",
                                 headers=headers)
    with tempfile.NamedTemporaryFile(suffix=".xlsx", delete=False) as tmp:
        path = Path(tmp.name)
    try:
        write_xlsx(chunks, path)
    except ValueError as exc:
        path.unlink(missing_ok=True)
        return error_response(request, 400, str(exc), user, lang, True)
    return FileResponse(path, media_type=XLSX_TYPE, headers=headers,
                        background=BackgroundTask(path.unlink, missing_ok=True))


def _chunks(viewer, run, flt: ListFilter, first: list, total: int):  # noqa: ANN001, ANN202
    """The first page, then the next pages of MAX_LIMIT rows, up to `total` rows."""
    sent = 0
    rows = first
    page = 0
    while rows and sent < total:
        rows = rows[: total - sent]
        sent += len(rows)
        yield rows
        page += 1
        if sent >= total:
            break
        rows = inspection_list(viewer, run, replace(flt, offset=page * MAX_LIMIT))["rows"]


DOWNLOADS = [("download_geojson", "/api/export/flagged.geojson", "GeoJSON"),
             ("download_districts", "/api/export/districts.geojson", "GeoJSON"),
             ("download_ftm", "/api/export/entities.ftm.json", "FtM JSON lines"),
             ("download_opendata", "/api/export/opendata.zip", "CSV + datapackage.json"),
             ("export_csv", "/inspection.csv", "CSV"),
             ("export_xlsx", "/inspection.xlsx", "XLSX")]


def downloads_page(page: Page) -> dict[str, Any]:
    """The products of the served run (the same files as `zonewatch export`)."""
    return {"as_of": page.run.as_of(), "masked": not page.viewer().clear,
            "downloads": [{"key": k, "url": u, "format": f} for k, u, f in DOWNLOADS]}


add_page(router, "/downloads", "downloads.html", "read_lists", downloads_page)
