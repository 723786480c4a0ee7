"""The `zonewatch` command line: one lazily loaded subcommand per room.

Each subcommand lives beside the code it drives; this module only maps names to
`module:attribute` paths so that `zonewatch --help` stays fast and a room can be
changed without touching the others.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

# name -> ("module:click_command", one-line help shown by `zonewatch --help`).
# The help is written here so that --help imports no room (pandas, DuckDB, FastAPI...);
# tests/engine/test_engine_cli.py checks it equals each command's own first line.
COMMANDS: dict[str, tuple[str, str]] = {
    "generate": ("zonewatch.generate.commands:generate",
                 "Generate a synthetic registry extract with planted fraud and labels."),
    "ingest": ("zonewatch.ingest.commands:ingest",
               "Load EXTRACT_DIR into a DuckDB file; invalid rows go to the quarantine table."),
    "import-reformagkh": ("zonewatch.realdata.commands:import_reformagkh",
                          "Convert the reformagkh housing register SRC into an extract in --out."),
    "analyze": ("zonewatch.analysis.commands:analyze",
                "Rank the properties, owners, officials and offices of an extract by suspicion."),
    "evaluate": ("zonewatch.evaluation.commands:evaluate",
                 "Precision, recall per fraud kind and look-alike errors vs the baselines."),
    "indicators": ("zonewatch.indicators.commands:indicators",
                   "List the red flags: id, entity and what each measures."),
    "register": ("zonewatch.register.commands:register",
                 "The special register of corruption reasons, its history and live evidence."),
    "plan": ("zonewatch.inspections.commands:plan",
             "Plan inspections of RUN_DIR within capacity, with exploration visits."),
    "outcome": (
        "zonewatch.inspections.commands:outcome",
        "Record inspection outcomes and export them for `zonewatch analyze --inspections`.",
    ),
    "users": ("zonewatch.service.commands:users",
              "Manage service users (roles: admin, analyst, inspector, auditor)."),
    "serve": ("zonewatch.web.commands:serve",
              "Serve the web pages and the API (under /api) for one analysis run."),
    "db": ("zonewatch.store.commands:db", "Manage the operational store (schema migrations)."),
    "audit": ("zonewatch.store.commands:audit", "Check the tamper-evident audit trail."),
    "export": ("zonewatch.products.commands:export",
               "Write GeoJSON, FollowTheMoney, open data, PDF or CSV/XLSX from an analysis run."),
}


def _installed(module_name: str) -> bool:
    """Whether a room's package is present, without importing it (only its parent)."""
    room = ".".join(module_name.split(".")[:2])
    try:
        return importlib.util.find_spec(room) is not None
    except ModuleNotFoundError:
        return False


class LazyGroup(click.Group):
    """A click group that imports a subcommand's module only when it is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(name for name, (target, _) in COMMANDS.items()
                      if _installed(target.split(":")[0]))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return self._load(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list from COMMANDS' help texts: no subcommand module is imported."""
        rows = [(name, COMMANDS[name][1]) for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    @staticmethod
    def _load(name: str) -> click.Command | None:
        entry = COMMANDS.get(name)
        if entry is None:
            return None
        module_name, attr = entry[0].split(":")
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
