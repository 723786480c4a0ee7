"""The `zonewatch` command line: one lazily loaded subcommand per room.

Each subcommand lives beside the code it drives; this module only maps names to
`module:attribute` paths so that `zonewatch --help` stays fast and a room can be
changed without touching the others.
"""

from __future__ import annotations

import importlib

import click

# name -> "module:click_command"
COMMANDS: dict[str, str] = {
    "generate": "zonewatch.generate.commands:generate",
    "ingest": "zonewatch.ingest.commands:ingest",
    "import-reformagkh": "zonewatch.realdata.commands:import_reformagkh",
    "analyze": "zonewatch.analysis.commands:analyze",
    "evaluate": "zonewatch.evaluation.commands:evaluate",
    "indicators": "zonewatch.indicators.commands:indicators",
    "register": "zonewatch.register.commands:register",
    "plan": "zonewatch.inspections.commands:plan",
    "outcome": "zonewatch.inspections.commands:outcome",
    "users": "zonewatch.service.commands:users",
    "serve": "zonewatch.web.commands:serve",
    "db": "zonewatch.store.commands:db",
    "audit": "zonewatch.store.commands:audit",
    "export": "zonewatch.products.commands:export",
}


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name in COMMANDS if self._load(name) is not None)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        target = COMMANDS.get(name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and module_name.startswith(exc.name):
                return None  # room not installed in this build
            raise
        return getattr(module, attr, None)


@click.group(cls=LazyGroup)
@click.version_option(package_name="zonewatch")
def main() -> None:
    """zonewatch: find, rank and track corruption zones in registration data.

    Typical flow: `generate` (or `import-reformagkh`) an extract, `analyze` it,
    `evaluate` against ground truth, `plan` inspections, keep the `register`,
    and `serve` the web UI and API.
    """
