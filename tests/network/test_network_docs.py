"""Docs that cannot drift: every network setting is documented with its default."""

from __future__ import annotations

from pathlib import Path

from zonewatch.network.params import declared

DOC = Path(__file__).resolve().parents[2] / "docs" / "networks.md"


def test_every_setting_has_help_and_a_documented_default() -> None:
    text = DOC.read_text(encoding="utf-8")
    for name, spec in declared().items():
        assert str(spec.get("help") or "").strip(), f"setting {name} has no help"
        assert f"| `{name}` | {spec['value']} |" in text, f"{name} missing from {DOC.name}"
