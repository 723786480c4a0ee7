"""`zonewatch evaluate` refuses a run with nothing to score instead of printing zeros."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from zonewatch.cli import main


def test_empty_run_is_a_clear_error(small_city: Path, tmp_path: Path) -> None:
    labels = small_city / "labels"
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--labels", str(labels)])
    assert result.exit_code == 1
    assert "properties_ranked.csv is missing: nothing to evaluate" in result.output
    (tmp_path / "properties_ranked.csv").write_text("rank,property_id,score\n")
    result = CliRunner().invoke(main, ["evaluate", str(tmp_path), "--labels", str(labels)])
    assert result.exit_code == 1 and "has no rows" in result.output
    assert not (tmp_path / "evaluation.json").exists()


def test_help_has_an_example() -> None:
    result = CliRunner().invoke(main, ["evaluate", "--help"])
    assert "Example:" in result.output and "zonewatch evaluate demo/run" in result.output
