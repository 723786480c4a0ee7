"""`zonewatch ingest EXTRACT_DIR --db PATH`: the ingest step on its own."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from zonewatch.atomic import write_text
from zonewatch.engine.options import MEMORY_HELP, memory_option
from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.pipeline import ingest_extract
from zonewatch.progress import Stages


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


@click.command()
@click.argument("extract_dir", type=click.Path(path_type=Path))
@click.option(
    "--db",
    "db_path",
    required=True,
    type=click.Path(path_type=Path),
    help="DuckDB file to write (replaced atomically).",
)
@click.option("--as-of", callback=_date, help="As-of date YYYY-MM-DD (default: latest in extract).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    help="Write ingest_report.json here.",
)
@click.option("--memory-limit", "memory_limit", default=None, callback=memory_option,
              help=MEMORY_HELP)
def ingest(
    extract_dir: Path,
    db_path: Path,
    as_of: dt.date | None,
    report_path: Path | None,
    memory_limit: str | None,
) -> None:
    """Load EXTRACT_DIR into a DuckDB file; invalid rows go to the quarantine table.

    \b
    Example:
      zonewatch ingest demo/city/extract --db demo/extract.duckdb
    """
    try:
        with Stages("ingest") as stages:
            report = ingest_extract(extract_dir, db_path, as_of, memory_limit, stages.done)
    except IngestError as exc:
        raise click.ClickException(str(exc)) from None
    if report_path is not None:
        report_path.parent.mkdir(parents=True, exist_ok=True)
        write_text(report_path, report.to_json() + "\n")
    click.echo(report.summary())
    click.echo(f"wrote {db_path} in {report.seconds:.1f}s")
