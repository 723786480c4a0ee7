"""Docs that cannot drift: every permission and endpoint is in docs/service.md (the settings:
tests/test_settings_docs.py)."""

from __future__ import annotations

import re
from pathlib import Path

from zonewatch.service import Settings, create_api
from zonewatch.service.deps import PERMISSIONS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "service.md").read_text()


def test_permissions_are_documented() -> None:
    missing = [p for p in PERMISSIONS if f"`{p}`" not in DOC]
    assert not missing, f"docs/service.md lacks {missing}"


def _documented_paths(text: str) -> set[tuple[str, ...]]:
    """Paths named in the docs, as segment tuples; `{a,b}` expanded, `{x}` a wildcard."""
    found: set[tuple[str, ...]] = set()
    for raw in re.findall(r"/api[^\s`'\"?\[\]]*", text):
        options: list[list[str]] = [[]]
        for seg in raw.strip("/").split("/"):
            if seg.startswith("{") and "," in seg:
                alts = seg.strip("{}").split(",")
                options = [o + [a] for o in options for a in alts]
            else:
                options = [o + ["*" if seg.startswith("{") else seg] for o in options]
        found.update(tuple(o) for o in options)
    return found


def test_every_route_is_documented(tmp_path: Path) -> None:
    app = create_api(Settings(store_url=f"sqlite:///{tmp_path / 's.sqlite'}"))
    register_doc = (Path(__file__).resolve().parents[2] / "docs" / "register.md").read_text()
    documented = _documented_paths(DOC + register_doc)
    paths = [p for p in app.openapi()["paths"] if p.startswith("/api")]
    assert len(paths) > 30  # the check below really sees the routes
    missing = []
    for path in paths:
        segs = tuple("*" if s.startswith("{") else s for s in path.strip("/").split("/"))
        if segs not in documented:
            missing.append(path)
    assert not missing, f"undocumented endpoints: {missing}"
