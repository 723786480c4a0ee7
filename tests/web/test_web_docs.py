"""Docs that cannot drift: every page route is listed in docs/web.md."""

from __future__ import annotations

import re
from pathlib import Path

from zonewatch.web.app import ROUTERS

DOC = Path(__file__).resolve().parents[2] / "docs" / "web.md"


def test_every_page_is_documented() -> None:
    documented = DOC.read_text(encoding="utf-8")
    pages = sorted({route.path for router in ROUTERS for route in router.routes
                    if not route.path.endswith(".json")})
    assert len(pages) >= 10
    missing = [p for p in pages if f"`{re.sub(r'{[^}]+}', '{', p).split('{')[0]}" not in
               documented]
    assert not missing, f"pages not in docs/web.md: {missing}"
