"""Every command's --help ends with an example a newcomer can copy."""

from __future__ import annotations

import click
from click.testing import CliRunner

from zonewatch.cli import COMMANDS, main


def _paths() -> list[list[str]]:
    paths = []
    for name in COMMANDS:
        command = main.get_command(click.Context(main), name)
        if command is None:
            continue
        paths.append([name])
        if isinstance(command, click.Group):
            paths += [[name, sub] for sub in command.commands]
    return paths


def test_every_command_help_has_an_example() -> None:
    missing = []
    for path in _paths():
        result = CliRunner().invoke(main, [*path, "--help"])
        assert result.exit_code == 0, (path, result.output)
        if "Example:" not in result.output or f"zonewatch {path[0]}" not in result.output:
            missing.append(" ".join(path))
    assert not missing, f"--help without an example: {missing}"
