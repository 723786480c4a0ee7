"""Docs cannot drift: every quarantine rule id is documented in docs/ingest.md."""

from __future__ import annotations

from pathlib import Path

from zonewatch.ingest.rules import RULE_IDS

DOC = Path(__file__).resolve().parents[2] / "docs" / "ingest.md"


def test_every_rule_is_documented():
    text = DOC.read_text(encoding="utf-8")
    missing = [rule for rule in RULE_IDS if f"`{rule}`" not in text]
    assert not missing
