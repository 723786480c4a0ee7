"""`zonewatch indicators`: the listing, JSON and the docs updater."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.indicators import load_indicators
from zonewatch.indicators.docs import END, START

DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"


def test_listing_has_every_indicator_with_entity_and_description():
    result = CliRunner().invoke(main, ["indicators"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    for ind in load_indicators():
        line = next(row for row in lines if row.startswith(ind.id + " "))
        assert ind.entity in line and ind.description[:30] in line
    # the red flags the network room computes are listed alike
    line = next(row for row in lines if row.startswith("broker_network "))
    assert "network" in line and "Flats tied by people moving" in line


def test_json_and_entity_filter():
    result = CliRunner().invoke(main, ["indicators", "--json", "--entity", "official"])
    data = json.loads(result.output)
    assert data and {d["entity"] for d in data} == {"official"}
    assert all(p["help"] for d in data for p in d["params"].values())
    assert {d["computed_by"] for d in data} == {"sql", "network"}  # official_flagged_share


def test_update_docs_rewrites_only_the_catalogue(tmp_path):
    path = tmp_path / "indicators.md"
    path.write_text(f"# Head\n\nkept text\n\n{START}\nstale\n{END}\n\ntail\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["indicators", "--update-docs", str(path)])
    assert "catalogue updated" in result.output
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Head\n\nkept text") and text.endswith("tail\n")
    assert "stale" not in text and "### `norm_area`" in text
    again = CliRunner().invoke(main, ["indicators", "--update-docs", str(path)])
    assert "already up to date" in again.output
