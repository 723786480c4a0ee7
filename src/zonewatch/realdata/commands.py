"""`zonewatch import-reformagkh SRC.csv.gz --out DIR`: the Moscow register as an extract."""

from __future__ import annotations

from pathlib import Path

import click

from zonewatch.realdata.reformagkh import RegisterError
from zonewatch.realdata.reformagkh import import_reformagkh as import_reformagkh_file


@click.command("import-reformagkh")
@click.argument("src", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--out",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Extract directory to write (properties.csv, occupancy.csv).",
)
@click.option("--unknown-kind", type=click.Choice(["other"]), default=None,
              help="Map unknown building types (e.g. 'Нет данных') to this kind. Default: "
                   "write them through, so ingest quarantines them as bad_enum.")  # fmt: skip
def import_reformagkh(src: Path, out: Path, unknown_kind: str | None) -> None:
    """Convert the reformagkh housing register SRC into an extract in --out.

    \b
    Example:
      zonewatch import-reformagkh houses.csv --out reformagkh/extract
    """
    try:
        report = import_reformagkh_file(src, out, unknown_kind)
    except RegisterError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{report.buildings} buildings -> {out}/properties.csv, {out}/occupancy.csv")
    for what, n in report.written_through.items():
        click.echo(f"  written through: {what}: {n}")
    for col, n in report.nulled_missing.items():
        click.echo(f"  left empty (contract allows null): {col}: {n}")
    click.echo(f"  details: {out}/import_report.json; next: zonewatch ingest {out} --db DB")
