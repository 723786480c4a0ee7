"""`zonewatch --help` stays fast (imports no room) and tells each command's own help;
long commands report their stages on stderr."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from click.testing import CliRunner

from zonewatch.cli import COMMANDS, LazyGroup, main
from zonewatch.engine.resources import ENV_MEMORY
from zonewatch.progress import Stages

HEAVY = ("pandas", "duckdb", "fastapi", "scipy", "sqlalchemy", "pyarrow")


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_static_help_is_the_command_s_own_first_line(name: str) -> None:
    command = LazyGroup._load(name)
    assert command is not None and command.name == name
    assert COMMANDS[name][1] == command.get_short_help_str(limit=300)


def test_help_lists_every_command_without_importing_rooms() -> None:
    code = (
        "import sys\nfrom zonewatch.cli import main\n"
        "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    for name in COMMANDS:
        assert f"  {name} " in out
    assert out.strip().splitlines()[-1] == "[]"


def test_plain_stage_lines_with_times() -> None:
    stream = io.StringIO()
    with Stages("ingest", stream=stream) as stages:
        stages.done("read persons", 1.25)
        stages.begin("load persons")
    lines = stream.getvalue().splitlines()
    assert lines[0] == "  ingest: read persons 1.2 s"
    assert lines[1].startswith("  ingest: load persons ")
    assert lines[2].startswith("ingest: done in ")


def test_live_bar_runs_and_names_the_stages() -> None:
    stream = io.StringIO()
    with Stages("analyze", total=2, stream=stream, live=True) as stages:
        stages.done("ingest", 3.0)
        stages.done("prepare", 1.0)
    text = stream.getvalue()
    assert "analyze: ingest 3.0 s" in text and "analyze: prepare 1.0 s" in text
    assert "2/2" in text


def test_ingest_command_reports_stages_on_stderr(small_city, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_MEMORY, "")  # restored after: --memory-limit sets it
    result = CliRunner().invoke(main, ["ingest", str(small_city / "extract"), "--db",
                                       str(tmp_path / "x.duckdb"), "--memory-limit", "1GB"])
    assert result.exit_code == 0, result.output
    assert "ingest: read persons" in result.stderr and "ingest: load persons" in result.stderr
    assert "ingest: read persons" not in result.stdout
    assert not (tmp_path / "x.duckdb.spill").exists()


def test_bad_memory_limit_is_a_usage_error(small_city, tmp_path) -> None:
    result = CliRunner().invoke(main, ["ingest", str(small_city / "extract"), "--db",
                                       str(tmp_path / "x.duckdb"), "--memory-limit", "much"])
    assert result.exit_code == 2 and "not a size" in result.output


def test_ingest_imports_no_pandas() -> None:
    """`zonewatch ingest` needs DuckDB only: the engine package loads its backends lazily."""
    code = "import sys, zonewatch.ingest.commands; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
