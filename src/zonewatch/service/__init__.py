"""The HTTP service: FastAPI JSON API under /api with login, roles, masking and audit.

Public interface (used by zonewatch.web): `Settings`, `create_api`, the dependencies
`current_user`, `require_role`, `get_db`, `current_run`, and the read functions in
`zonewatch.service.views`.
"""

from zonewatch.service.app import API_PREFIX, create_api
from zonewatch.service.auth import Principal
from zonewatch.service.deps import COOKIE_NAME, current_run, current_user, get_db, require_role
from zonewatch.service.settings import Settings

__all__ = [
    "API_PREFIX",
    "COOKIE_NAME",
    "Principal",
    "Settings",
    "create_api",
    "current_run",
    "current_user",
    "get_db",
    "require_role",
]
