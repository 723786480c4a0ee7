"""Docs that cannot drift: every declared setting of every room is in its docs page, with its
default and help, and the docs show no setting that does not exist (generated tables)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zonewatch.config import entries
from zonewatch.config.docs import render_table, tables_in
from zonewatch.indicators.settings import declared as analysis_declared
from zonewatch.inspections.settings import declared as plan_declared
from zonewatch.network.settings import declared as network_declared
from zonewatch.service.settings import declared as service_declared

DOCS = Path(__file__).resolve().parents[1] / "docs"
DOCUMENTED = {
    "analysis": ("indicators.md", analysis_declared),
    "network": ("networks.md", network_declared),
    "plan": ("plans.md", plan_declared),
    "service": ("service.md", service_declared),
}


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_the_docs_table_is_the_declared_settings(name: str) -> None:
    page, declared = DOCUMENTED[name]
    found = entries(declared())
    assert len(found) >= 3 and all(e.help for e in found)
    expected = render_table(name, found)
    shown = tables_in((DOCS / page).read_text(encoding="utf-8")).get(name)
    assert shown == expected, f"docs/{page} is out of date; paste:\n{expected}"


def test_every_generated_table_belongs_to_a_declared_file() -> None:
    for page in DOCS.glob("*.md"):
        for name in tables_in(page.read_text(encoding="utf-8")):
            assert name in DOCUMENTED and DOCUMENTED[name][0] == page.name, (page.name, name)


def test_a_setting_missing_from_the_docs_or_only_in_the_docs_fails() -> None:
    found = entries(network_declared())
    shown = render_table("network", found)
    assert render_table("network", found[1:]) != shown  # one undocumented
    extra = [*found, found[0].__class__("retired_setting", 1, "gone")]
    assert render_table("network", extra) != shown  # one documented, not declared
