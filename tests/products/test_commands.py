"""`zonewatch export ...` writes each product to a file."""

from __future__ import annotations

import json
from pathlib import Path

import geojson
from click.testing import CliRunner
from openpyxl import load_workbook

from zonewatch.cli import main


def _export(*args: str) -> str:
    result = CliRunner().invoke(main, ["export", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_each_export_command(run_dir: Path, ranked, tmp_path: Path) -> None:
    out = tmp_path / "flagged.geojson"
    _export("geojson", str(run_dir), "--out", str(out))
    assert geojson.loads(out.read_text("utf-8")).is_valid
    _export("geojson", str(run_dir), "--districts", "--out", str(tmp_path / "d.geojson"))
    _export("ftm", str(run_dir), "--out", str(tmp_path / "e.ftm.json"))
    lines = (tmp_path / "e.ftm.json").read_text("utf-8").splitlines()
    assert lines and all(json.loads(x)["schema"] for x in lines)
    _export("opendata", str(run_dir), "--out", str(tmp_path / "o.zip"))
    top = ranked.iloc[0]["property_id"]
    _export("pdf", str(run_dir), "--property", top, "--out", str(tmp_path / "d.pdf"))
    assert (tmp_path / "d.pdf").read_bytes().startswith(b"%PDF")
    _export("table", str(run_dir), "--all", "--out", str(tmp_path / "all.csv"))
    lines = (tmp_path / "all.csv").read_text("utf-8-sig").splitlines()
    assert len(lines) == len(ranked) + 1
    _export("table", str(run_dir), "--out", str(tmp_path / "flagged.xlsx"))
    sheet = load_workbook(tmp_path / "flagged.xlsx").active
    assert sheet.max_row == ranked["flagged"].sum() + 1


def test_pdf_needs_one_target(run_dir: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["export", "pdf", str(run_dir), "--out",
                                       str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "exactly one of --property or --plan" in result.output
    result = CliRunner().invoke(main, ["export", "pdf", str(run_dir), "--property", "NOPE",
                                       "--out", str(tmp_path / "x.pdf")])
    assert result.exit_code != 0 and "NOPE" in result.output
