"""`/api/docs`: Swagger UI from files shipped in the package (no CDN, no inline script).

The assets in `zonewatch/service/swagger/` are swagger-ui-dist 5.17.14 (Apache-2.0, see
LICENSE.txt and NOTICE.txt there): `swagger-ui-bundle.js` and `swagger-ui.css`.
"""

from __future__ import annotations

from importlib import resources

from fastapi import APIRouter, HTTPException
from fastapi.responses import HTMLResponse, Response

router = APIRouter(include_in_schema=False)
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-init.js": "text/javascript; charset=utf-8",
}
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zonewatch API</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/api/docs/assets/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/api/docs/assets/swagger-ui-bundle.js"></script>
<script src="/api/docs/assets/swagger-init.js"></script>
</body></html>
"""


@router.get("/docs")
def docs_page() -> HTMLResponse:
    """The interactive API documentation."""
    return HTMLResponse(PAGE)


@router.get("/docs/assets/{name}")
def docs_asset(name: str) -> Response:
    """One Swagger UI file shipped with zonewatch."""
    if name not in ASSETS:
        raise HTTPException(404, f"no docs asset {name!r}")
    data = (resources.files("zonewatch.service") / "swagger" / name).read_bytes()
    return Response(data, media_type=ASSETS[name],
                    headers={"cache-control": "public, max-age=86400"})
