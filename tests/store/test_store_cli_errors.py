"""Every store-backed command answers a bad --store with one clear line and a non-zero exit."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from zonewatch.cli import main

MISSING_DIR = "sqlite:////nonexistent-zonewatch/dir/x.sqlite"
REFUSED_PG = "postgresql://nobody:secret@127.0.0.1:1/x"

COMMANDS = [
    ["db", "upgrade"],
    ["db", "current"],
    ["users", "list"],
    ["users", "add", "bob", "--role", "admin", "--password", "pw-long-enough-1"],
    ["users", "disable", "bob"],
    ["register", "list"],
    ["register", "seed"],
    ["register", "runs"],
    ["outcome", "export", "--out", "OUT"],
]


@pytest.mark.parametrize("url", [MISSING_DIR, REFUSED_PG, "bogus://x"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:2]))
def test_bad_store_is_one_line_error(args: list[str], url: str, tmp_path: Path) -> None:
    args = [str(tmp_path / "o.csv") if a == "OUT" else a for a in args]
    result = CliRunner().invoke(main, [*args, "--store", url])
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output and "secret" not in result.output


def test_missing_sqlite_directory_is_named() -> None:
    result = CliRunner().invoke(main, ["db", "upgrade", "--store", MISSING_DIR])
    assert "directory /nonexistent-zonewatch/dir does not exist" in result.output
