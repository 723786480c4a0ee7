"""`/api/export/...`: the products of `zonewatch.products` as downloads (same files as
`zonewatch export`). Personal data follows the role: FtM entities and dossiers are
pseudonymised for roles that do not see it in clear, and every export that carries persons
is written to the audit log."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response, StreamingResponse

from zonewatch.inspections.access import is_assigned
from zonewatch.inspections.planner import annotate_visits, get_plan_row, plan_dict
from zonewatch.products import dossier, ftm, geo, opendata, pdf
from zonewatch.service import audit
from zonewatch.service.deps import plan_teams, viewer_with
from zonewatch.service.masking import sees_clear
from zonewatch.service.routes_inspections import PlanId
from zonewatch.service.views import Viewer

router = APIRouter(prefix="/export", tags=["export"])
Lister = Annotated[Viewer, Depends(viewer_with("read_lists"))]
PlanReader = Annotated[Viewer, Depends(viewer_with("read_plans"))]
Lang = Annotated[str, Query(pattern="^(en|ru|kk)$")]
GEOJSON = "application/geo+json"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}




def _file(media_type: str, what: str) -> dict:
    """The OpenAPI `responses` of a download: its media type, so clients know what comes."""
    return {200: {"content": {media_type: {}}, "description": what}}


GEOJSON_RESPONSE = _file(GEOJSON, "a GeoJSON FeatureCollection")


@router.get("/flagged.geojson", responses=GEOJSON_RESPONSE)
def flagged_geojson(v: Lister) -> Response:
    """Flagged properties as GeoJSON points (rank, score, indicators, explanation)."""
    return Response(geo.dumps(geo.flagged_geojson(v.run)), media_type=GEOJSON,
                    headers=_attachment("flagged.geojson"))


@router.get("/districts.geojson", responses=GEOJSON_RESPONSE)
def districts_geojson(v: Lister) -> Response:
    """Districts as GeoJSON polygons (hull of their properties) with flagged counts."""
    return Response(geo.dumps(geo.districts_geojson(v.run)), media_type=GEOJSON,
                    headers=_attachment("districts.geojson"))


@router.get("/opendata.zip", responses=_file("application/zip", "CSV files and datapackage.json"))
def opendata_zip(v: Lister,
                 min_cell: Annotated[int, Query(ge=2, le=1000)] = opendata.MIN_CELL) -> Response:
    """Aggregates with small-cell suppression: CSVs and datapackage.json in a zip."""
    return Response(opendata.to_zip(v.run, min_cell), media_type="application/zip",
                    headers=_attachment("zonewatch_opendata.zip"))


@router.get("/entities.ftm.json",
            responses=_file("application/x-ndjson", "FollowTheMoney entities, one per line"))
def ftm_entities(v: Lister) -> StreamingResponse:
    """FollowTheMoney entities (JSON lines) for Aleph; persons pseudonymised unless the
    role sees personal data."""
    audit.record(v.db, v.user, "export", "ftm", str(v.run.path.name),
                 {"masked": not v.clear, "scope": "flagged properties and linked persons"})
    v.db.commit()
    return StreamingResponse(ftm.lines(v.run, None if v.clear else v.masker),
                             media_type="application/x-ndjson",
                             headers=_attachment("zonewatch.ftm.json"))


@router.get("/properties/{property_id}.pdf", responses=_file("application/pdf", "a dossier"))
def property_pdf(property_id: str, v: PlanReader, lang: Lang = "en") -> Response:
    """A property dossier as PDF (inspectors: properties on their visits only)."""
    assigned = v.user.role == "inspector" and is_assigned(v.db, v.user.username, property_id)
    if v.user.role == "inspector" and not assigned:
        raise HTTPException(403, f"property {property_id} is not on any of your visits")
    data = dossier.dossier_data(v.run, property_id)
    clear = sees_clear(v.user.role, assigned)
    audit.record(v.db, v.user, "export", "property", property_id,
                 {"format": "pdf", "masked": not clear, "persons": dossier.person_ids(data)})
    v.db.commit()
    if not clear:
        data = dossier.masked(v.run, data, v.masker)
    return Response(_pdf(lambda: pdf.dossier(data, lang)), media_type="application/pdf",
                    headers=_attachment(f"dossier_{property_id}.pdf"))


@router.get("/plans/{plan_id}.pdf", responses=_file("application/pdf", "field sheets"))
def plan_pdf(plan_id: PlanId, v: PlanReader, lang: Lang = "en") -> Response:
    """A plan's field sheets as PDF, one page per day and team (inspectors: own teams)."""
    plan = get_plan_row(v.db, plan_id)
    teams = plan_teams(plan, v.user.role, v.user.username)
    data = annotate_visits(v.db, plan_dict(plan, only_teams=teams), v.run)
    return Response(_pdf(lambda: pdf.field_sheet(data, lang)), media_type="application/pdf",
                    headers=_attachment(f"plan_{plan_id}.pdf"))


def _pdf(build) -> bytes:  # noqa: ANN001
    try:
        return build()
    except pdf.FontMissing as exc:
        raise HTTPException(503, str(exc)) from exc
