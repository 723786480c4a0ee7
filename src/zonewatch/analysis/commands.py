"""`zonewatch analyze`: the command outside evaluators run on unseen extracts."""

from __future__ import annotations

import datetime as dt

import click

from zonewatch.analysis.pipeline import AnalysisError
from zonewatch.analysis.pipeline import analyze as run_analysis
from zonewatch.engine.base import EngineError
from zonewatch.engine.options import MEMORY_HELP, memory_option
from zonewatch.progress import Stages

TOP = 10
STAGES = ("ingest", "prepare", "property_indicators", "scoring", "entity_indicators", "people",
          "network_feedback", "write")  # the keys of run.json's timings_s, in order


@click.command()
@click.argument("extract_dir", type=click.Path(exists=True, file_okay=False))
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False),
              help="Directory for the output files (built beside it, swapped in when complete).")
@click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Analysis date YYYY-MM-DD; default: the latest date in the extract.")
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb",
              show_default=True,
              help="Where the working tables, indicators and scoring SQL run (docs/spark.md).")
@click.option("--spark-master", "spark_master", default="local[*]", show_default=True,
              help="With --engine spark: the Spark master URL (local[N], spark://HOST:7077, "
                   "yarn, k8s://...).")
@click.option("--inspections", "inspections", multiple=True, type=click.Path(exists=True,
              dir_okay=False), help="Extra inspection outcomes (contract format); repeatable.")
@click.option("--settings", "settings_path", type=click.Path(exists=True, dir_okay=False),
              default=None, help="YAML overriding params, weights, norms, calibration.")
@click.option("--memory-limit", "memory_limit", default=None, callback=memory_option,
              help=MEMORY_HELP)
def analyze(extract_dir: str, out_dir: str, as_of: dt.datetime | None, engine: str,
            inspections: tuple[str, ...], settings_path: str | None,
            memory_limit: str | None, spark_master: str) -> None:
    """Rank the properties, owners, officials and offices of an extract by suspicion.

    \b
    Example:
      zonewatch analyze demo/city/extract --out demo/run --as-of 2026-11-01
    """
    try:
        with Stages("analyze", total=len(STAGES)) as stages:
            result = run_analysis(extract_dir, out_dir, as_of.date() if as_of else None,
                                  engine, inspections, settings_path, on_stage=stages.done,
                                  spark_master=spark_master)
    except (AnalysisError, EngineError) as exc:
        raise click.ClickException(f"cannot analyse {extract_dir}: {exc}") from exc
    run = result.run
    skipped = run["indicators_skipped"]
    click.echo(f"as-of {run['as_of']}: {run['counts']['properties']} properties, "
               f"{run['counts']['flagged_properties']} flagged, "
               f"{len(run['indicators_run'])} indicators run, {len(skipped)} skipped "
               f"({run['timings_s']['total']:.1f} s)")
    for ind, why in skipped.items():
        click.echo(f"  skipped {ind}: {why}")
    for why in run["people_skipped"]:
        click.echo(f"  people: {why}", err=why.startswith("network failed"))
    if run["calibration"].get("reason"):
        click.echo(f"calibration: {run['calibration']['reason']}")
    elif run["ranking_change"]:
        click.echo(f"calibration on {run['calibration']['outcomes']} outcomes; ranking change "
                   f"{run['ranking_change']}")
    click.echo(f"top {TOP}:")
    for row in result.properties.head(TOP).itertuples():
        click.echo(f"{row.rank:>4}  {row.property_id}  score {row.score:.3f}  {row.explanation}")
    click.echo(f"files written to {result.out_dir}")
