"""Determinism for a seed, scaling with --persons, and clear errors on bad options."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.generate import generate_city


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.csv"))}


def test_same_seed_same_files_other_seed_other_files(tmp_path: Path) -> None:
    generate_city(tmp_path / "a", persons=1500, seed=3)
    generate_city(tmp_path / "b", persons=1500, seed=3)
    generate_city(tmp_path / "c", persons=1500, seed=4)
    a, b, c = _files(tmp_path / "a"), _files(tmp_path / "b"), _files(tmp_path / "c")
    assert a == b
    assert a.keys() == c.keys() and a != c


def test_persons_option_scales_the_city(tmp_path: Path) -> None:
    small = generate_city(tmp_path / "s", persons=2000, seed=1)
    large = generate_city(tmp_path / "l", persons=12000, seed=1)
    assert abs(small["persons"] - 2000) / 2000 < 0.15
    assert abs(large["persons"] - 12000) / 12000 < 0.1
    ratio = large["tables"]["registrations"] / small["tables"]["registrations"]
    assert 4 < ratio < 8


def test_cli_writes_extract_and_labels(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["generate", "--out", str(tmp_path), "--persons", "1000",
                                       "--seed", "2", "--as-of", "2025-06-30"])
    assert result.exit_code == 0, result.output
    assert "persons" in result.output
    summary = json.loads((tmp_path / "labels" / "summary.json").read_text())
    assert summary["as_of"] == "2025-06-30"
    latest = max(p.read_text().count("2025-") for p in [tmp_path / "extract" / "registrations.csv"])
    assert latest > 0 and "2026-" not in (tmp_path / "extract" / "inspections.csv").read_text()


def test_cli_rejects_bad_options_clearly(tmp_path: Path) -> None:
    runner = CliRunner()
    small = runner.invoke(main, ["generate", "--out", str(tmp_path), "--persons", "10"])
    assert small.exit_code != 0 and "at least 500" in small.output
    bad = runner.invoke(main, ["generate", "--out", str(tmp_path), "--as-of", "2026-13-01"])
    assert bad.exit_code != 0 and "YYYY-MM-DD" in bad.output
