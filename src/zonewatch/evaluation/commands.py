"""`zonewatch evaluate`: score an analysis run against a generated city's labels."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zonewatch.evaluation.inputs import EvaluationError, read_ranking
from zonewatch.evaluation.report import evaluate_run, format_report


@click.command()
@click.argument("run_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option("--labels", "labels", required=True,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The generator's labels/ directory.")
@click.option("--extract", "extract", default=None,
              type=click.Path(exists=True, file_okay=False, path_type=Path),
              help="The extract, for baselines when the run has no zonewatch.duckdb.")
@click.option("--as-of", "as_of", default=None, help="As-of date for baselines (YYYY-MM-DD).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of the table.")
def evaluate(run_dir: Path, labels: Path, extract: Path | None, as_of: str | None,
             as_json: bool) -> None:
    """Precision, recall per fraud kind and look-alike errors vs the baselines.

    Fails (exit 1) when RUN_DIR holds no ranked properties: there is nothing to score.

    \b
    Example:
      zonewatch evaluate demo/run --labels demo/city/labels --extract demo/city/extract
    """
    try:
        if not run_dir.is_dir():
            raise EvaluationError(f"run dir {run_dir} does not exist")
        status = read_ranking(run_dir, "properties").status
        if status != "ok":
            what = "is missing" if status == "missing" else "has no rows"
            raise EvaluationError(
                f"{run_dir / 'properties_ranked.csv'} {what}: nothing to evaluate; run "
                f"`zonewatch analyze EXTRACT --out {run_dir}` first")
        result = evaluate_run(run_dir, labels, extract=extract, as_of=as_of)
    except EvaluationError as exc:
        raise click.ClickException(str(exc)) from exc
    (run_dir / "evaluation.json").write_text(json.dumps(result, indent=2))
    click.echo(json.dumps(result, indent=2) if as_json else format_report(result))
