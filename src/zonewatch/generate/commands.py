"""`zonewatch generate`: a synthetic city with planted fraud and its ground truth."""

from __future__ import annotations

from pathlib import Path

import click

from zonewatch.generate.city import DEFAULT_AS_OF, DEFAULT_PERSONS, STEPS, generate_city
from zonewatch.progress import Stages


@click.command()
@click.option("--out", "out", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write extract/ and labels/ into.")
@click.option("--persons", default=DEFAULT_PERSONS, show_default=True, type=int,
              help="Number of persons (Astana 2018 is about 1.1 million).")
@click.option("--seed", default=1, show_default=True, type=int, help="Random seed.")
@click.option("--as-of", "as_of", default=DEFAULT_AS_OF, show_default=True,
              help="The extract's as-of date (YYYY-MM-DD).")
def generate(out: Path, persons: int, seed: int, as_of: str) -> None:
    """Generate a synthetic registry extract with planted fraud and labels.

    \b
    Example:
      zonewatch generate --out demo/city --persons 200000 --seed 7
    """
    try:
        with Stages("generate", total=len(STEPS)) as stages:
            summary = generate_city(out, persons=persons, seed=seed, as_of=as_of,
                                    progress=stages.begin)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc
    click.echo(f"wrote {summary['persons']} persons, "
               + ", ".join(f"{k} {v}" for k, v in summary["tables"].items())
               + f" in {summary['seconds']} s to {out}")
    click.echo("fraud properties: " + ", ".join(
        f"{k} {v}" for k, v in summary["fraud_properties"].items()))
