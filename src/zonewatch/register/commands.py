"""`zonewatch register`: seed, list, show, edit, history, import/export, runs and evidence."""

from __future__ import annotations

import getpass
import json
from pathlib import Path

import click
from sqlalchemy.orm import Session

from zonewatch.register import entries
from zonewatch.register.evidence import live_evidence
from zonewatch.register.io import FORMATS, dumps, export_documents, import_documents, load_file
from zonewatch.register.runs import list_runs, register_run
from zonewatch.register.seed import seed_register
from zonewatch.store import audit as audit_chain
from zonewatch.store.commands import store_option
from zonewatch.store.db import Store, StoreError
from zonewatch.store.errors import Conflict, Invalid, NotFound

who_option = click.option(
    "--who",
    default=lambda: getpass.getuser(),
    show_default="current OS user",
    help="Name recorded in the history for this change.",
)


def _store(url: str) -> Store:
    try:
        return Store(url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


def _run(store_url: str, action):  # noqa: ANN001, ANN202
    """Run `action(session)` in one transaction; domain errors become clean CLI errors."""
    try:
        with _store(store_url).session() as session:
            return action(session)
    except (Invalid, NotFound, Conflict) as exc:
        raise click.ClickException(str(exc)) from exc


def _audit(session: Session, who: str, action: str, target_type: str, target_id: str,
           detail: dict) -> None:
    """Audit a CLI change or export (role `cli`, the --who / OS user) in its transaction."""
    audit_chain.append(session, username=who, role="cli", action=action,
                       target_type=target_type, target_id=target_id,
                       detail={**detail, "via": "cli"})


def _echo_json(data: object) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2, default=str))


@click.group()
def register() -> None:
    """The special register of corruption reasons, its history and live evidence.

    \b
    Example:
      zonewatch register seed
      zonewatch register list --status assessed
    """


@register.command("seed")
@store_option
def seed_cmd(store_url: str) -> None:
    """Add the seed entries shipped with zonewatch (existing codes are left alone).

    \b
    Example:
      zonewatch register seed --store sqlite:///demo/store.sqlite
    """
    created = _run(store_url, seed_register)
    click.echo(f"seeded {len(created)} entries" + (f": {', '.join(created)}" if created else ""))


@register.command("list")
@click.option("--status", default=None)
@store_option
def list_cmd(status: str | None, store_url: str) -> None:
    """One line per entry: code, status, residual risk, title.

    \b
    Example:
      zonewatch register list
    """
    for e in _run(store_url, lambda s: entries.list_entries(s, status=status)):
        click.echo(
            f"{e['code']}\t{e['status']}\t{e['residual_risk']:>2} {e['risk_level']}"
            f"\tv{e['version']}\t{e['title']}"
        )


@register.command("show")
@click.argument("code")
@click.option("--version", "number", type=int, default=None, help="A past version.")
@store_option
def show_cmd(code: str, number: int | None, store_url: str) -> None:
    """Show an entry (current, or --version N) as JSON.

    \b
    Example:
      zonewatch register show REG-BROKER-NETWORKS --version 2
    """
    if number is None:
        _echo_json(_run(store_url, lambda s: entries.get_entry(s, code)))
    else:
        _echo_json(_run(store_url, lambda s: entries.version(s, code, number)))


@register.command("history")
@click.argument("code")
@store_option
def history_cmd(code: str, store_url: str) -> None:
    """Every change of an entry: version, who, when, why, which fields.

    \b
    Example:
      zonewatch register history REG-BROKER-NETWORKS
    """
    for v in _run(store_url, lambda s: entries.history(s, code)):
        fields = ", ".join(c["field"] for c in v["changes"])
        click.echo(
            f"v{v['version']}\t{v['changed_at']}\t{v['changed_by']}\t{v['reason']}\t[{fields}]"
        )


@register.command("set")
@click.argument("code")
@click.argument("assignments", nargs=-1, required=True)
@click.option("--reason", required=True, help="Why the change is made (kept in the history).")
@who_option
@store_option
def set_cmd(code: str, assignments: tuple[str, ...], reason: str, who: str, store_url: str) -> None:
    """Change fields: FIELD=VALUE ... (VALUE parsed as JSON when it is valid JSON).

    \b
    Example:
      zonewatch register set REG-BROKER-NETWORKS likelihood=4 --reason 'new inspection results'
    """
    patch = {}
    for item in assignments:
        if "=" not in item:
            raise click.BadParameter(f"{item!r} is not FIELD=VALUE")
        name, raw = item.split("=", 1)
        try:
            patch[name] = json.loads(raw)
        except ValueError:
            patch[name] = raw

    def change(s: Session) -> dict:
        entry = entries.update_entry(s, code, patch, who, reason)
        _audit(s, who, "update", "register_entry", code,
               {"version": entry["version"], "reason": reason, "fields": sorted(patch)})
        return entry

    e = _run(store_url, change)
    click.echo(f"{code} is now at version {e['version']}")


@register.command("export")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default=None,
    help="Default: from the file suffix (.json = json, else yaml).",
)
@click.option("--public", is_flag=True, help="Leave out internal entries, fields, measures.")
@store_option
def export_cmd(out: Path, fmt: str | None, public: bool, store_url: str) -> None:
    """Write the register to a YAML or JSON file.

    \b
    Example:
      zonewatch register export --out register.yaml --public
    """
    fmt = fmt or ("json" if out.suffix.lower() == ".json" else "yaml")

    def export(s: Session) -> list:
        found = export_documents(s, public=public)
        _audit(s, getpass.getuser(), "export", "register", "public" if public else "internal",
               {"format": fmt, "entries": len(found), "out": out.name})
        return found

    docs = _run(store_url, export)
    out.write_text(dumps(docs, fmt), encoding="utf-8")
    click.echo(f"wrote {len(docs)} entries to {out}")


@register.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--reason", required=True, help="Why (kept in each entry's history).")
@click.option(
    "--allow-internal-change",
    is_flag=True,
    help="Allow the file to make entries or fields internal or public (listed in the output).",
)
@who_option
@store_option
def import_cmd(
    file: Path, reason: str, allow_internal_change: bool, who: str, store_url: str
) -> None:
    """Create or update entries from a YAML or JSON file (all or nothing).

    An entry with a `version` older than the register's is refused (it was edited since
    the export), as is any change of what is internal without --allow-internal-change.

    \b
    Example:
      zonewatch register import register.yaml --reason 'annual review'
    """
    try:
        docs = load_file(file)
    except Invalid as exc:
        raise click.ClickException(str(exc)) from exc

    def run_import(s: Session) -> dict:
        done = import_documents(s, docs, who, reason, allow_internal_change=allow_internal_change)
        _audit(s, who, "import", "register", file.name,
               {"reason": reason, **{k: v for k, v in done.items() if v}})
        return done

    result = _run(store_url, run_import)
    click.echo(", ".join(f"{k}: {len(v)}" for k, v in result.items() if k != "internal_changed"))
    for line in result["internal_changed"]:
        click.echo(f"internal changed: {line}")


@register.command("add-run")
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@store_option
def add_run_cmd(run_dir: Path, store_url: str) -> None:
    """Register an analysis run (its flag counts feed trends and evidence).

    \b
    Example:
      zonewatch register add-run demo/run
    """
    r = _run(store_url, lambda s: register_run(s, run_dir))
    click.echo(f"run {r['path']} as of {r['as_of']}: {sum(r['flag_counts'].values())} flags")


@register.command("runs")
@store_option
def runs_cmd(store_url: str) -> None:
    """List the registered runs.

    \b
    Example:
      zonewatch register runs
    """
    for r in _run(store_url, list_runs):
        click.echo(f"{r['as_of']}\t{sum(r['flag_counts'].values())} flags\t{r['path']}")


@register.command("evidence")
@click.argument("code")
@store_option
def evidence_cmd(code: str, store_url: str) -> None:
    """Live evidence of an entry from the latest registered run, as JSON.

    \b
    Example:
      zonewatch register evidence REG-BROKER-NETWORKS
    """
    _echo_json(_run(store_url, lambda s: live_evidence(s, code)))
