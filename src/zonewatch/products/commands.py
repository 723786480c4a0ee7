"""`zonewatch export`: the outputs people hand on, written from an analysis run to a file."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zonewatch.errors import NotFound
from zonewatch.rundir import open_run
from zonewatch.store.commands import store_option

RUN = click.argument("run_dir", metavar="RUN",
                     type=click.Path(exists=True, file_okay=False, path_type=Path))
OUT = click.option("--out", "out", required=True, type=click.Path(dir_okay=False,
                   path_type=Path), help="File to write (its folder must exist).")
LANG = click.option("--lang", type=click.Choice(["en", "ru", "kk"]), default="en",
                    show_default=True, help="Language of the PDF's labels.")


@click.group()
def export() -> None:
    """Write GeoJSON, FollowTheMoney, open data, PDF or CSV/XLSX from an analysis run.

    \b
    Example:
      zonewatch export geojson demo/run --out flagged.geojson
      zonewatch export pdf demo/run --property H00000022 --lang ru --out dossier.pdf
    """


def _run(path: Path):  # noqa: ANN202
    try:
        return open_run(path)
    except (NotFound, ValueError) as exc:
        raise click.ClickException(str(exc)) from exc


@export.command("geojson")
@RUN
@OUT
@click.option("--districts", is_flag=True,
              help="District polygons with aggregates instead of flagged properties.")
def geojson_cmd(run_dir: Path, out: Path, districts: bool) -> None:
    """GeoJSON of the flagged properties (points) or of the districts (polygons).

    \b
    Example:
      zonewatch export geojson demo/run --out flagged.geojson
      zonewatch export geojson demo/run --districts --out districts.geojson
    """
    from zonewatch.products import geo

    run = _run(run_dir)
    collection = geo.districts_geojson(run) if districts else geo.flagged_geojson(run)
    out.write_bytes(geo.dumps(collection))
    click.echo(f"{len(collection['features'])} features written to {out}")


@export.command("ftm")
@RUN
@OUT
def ftm_cmd(run_dir: Path, out: Path) -> None:
    """FollowTheMoney entities (JSON lines) of the flagged properties and their people,
    for Aleph (`alephclient write-entities` or `ftm store`).

    \b
    Example:
      zonewatch export ftm demo/run --out zonewatch.ftm.json
    """
    from zonewatch.products import ftm

    count = 0
    with out.open("wb") as fh:
        for line in ftm.lines(_run(run_dir)):
            fh.write(line)
            count += 1
    click.echo(f"{count} entities written to {out}")


@export.command("opendata")
@RUN
@OUT
@click.option("--min-cell", type=click.IntRange(min=2), default=10, show_default=True,
              help="Counts from 1 to this minus one are suppressed.")
def opendata_cmd(run_dir: Path, out: Path, min_cell: int) -> None:
    """Aggregates per district, kind, indicator and office with small-cell suppression,
    as a zip of CSVs with a datapackage.json.

    \b
    Example:
      zonewatch export opendata demo/run --min-cell 10 --out aggregates.zip
    """
    from zonewatch.products import opendata

    out.write_bytes(opendata.to_zip(_run(run_dir), min_cell))
    click.echo(f"open data written to {out} (cells under {min_cell} suppressed)")


@export.command("pdf")
@RUN
@OUT
@click.option("--property", "property_id", help="Write this property's dossier.")
@click.option("--plan", "plan_id", type=int, help="Write the field sheets of this plan.")
@LANG
@store_option
def pdf_cmd(run_dir: Path, out: Path, property_id: str | None, plan_id: int | None,
            lang: str, store_url: str) -> None:
    """A property dossier (--property) or a plan's field sheets (--plan, from --store).

    \b
    Example:
      zonewatch export pdf demo/run --property H00000022 --out H00000022.pdf
      zonewatch export pdf demo/run --plan 1 --lang kk --store sqlite:///demo/store.sqlite \\
          --out plan1.pdf
    """
    from zonewatch.products import dossier, pdf

    if (property_id is None) == (plan_id is None):
        raise click.UsageError("give exactly one of --property or --plan")
    run = _run(run_dir)
    try:
        if property_id is not None:
            body = pdf.dossier(dossier.dossier_data(run, property_id), lang)
        else:
            body = pdf.field_sheet(_plan(store_url, plan_id, run), lang)
    except (NotFound, pdf.FontMissing) as exc:
        raise click.ClickException(str(exc)) from exc
    out.write_bytes(body)
    click.echo(f"PDF written to {out}")


def _plan(store_url: str, plan_id: int, run) -> dict:  # noqa: ANN001
    from zonewatch.inspections.planner import annotate_visits, get_plan_row, plan_dict
    from zonewatch.store.db import Store, StoreError

    try:
        with Store(store_url).session() as session:
            return annotate_visits(session, plan_dict(get_plan_row(session, plan_id)), run)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@export.command("table")
@RUN
@OUT
@click.option("--all", "everything", is_flag=True, help="Also the unflagged properties.")
def table_cmd(run_dir: Path, out: Path, everything: bool) -> None:
    """The ranked property list with places, as CSV or XLSX (by --out's suffix), every row.

    \b
    Example:
      zonewatch export table demo/run --out flagged.csv
      zonewatch export table demo/run --all --out all.xlsx
    """
    from zonewatch.products import tables
    from zonewatch.service.places import ranked_properties_with_places

    frame = ranked_properties_with_places(_run(run_dir))
    if not everything:
        frame = frame[frame["indicators"].fillna("").astype(str) != ""]
    chunks = tables.frame_chunks(frame)
    if out.suffix.lower() == ".xlsx":
        rows = tables.write_xlsx(chunks, out)
    elif out.suffix.lower() == ".csv":
        with out.open("wb") as fh:
            for part in tables.csv_chunks(chunks):
                fh.write(part)
        rows = len(frame)
    else:
        raise click.UsageError("--out must end in .csv or .xlsx")
    click.echo(json.dumps({"rows": rows, "file": str(out)}))
