"""`zonewatch indicators`: list the red flags (id, entity, description)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zonewatch.indicators.docs import render_catalogue, update_docs
from zonewatch.indicators.spec import ENTITIES, load_indicators


@click.command()
@click.option("--entity", type=click.Choice(ENTITIES), default=None,
              help="Only indicators of this entity.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with params and rationale).")
@click.option("--markdown", is_flag=True, help="Print the docs/indicators.md catalogue block.")
@click.option("--update-docs", "docs_path", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Rewrite the catalogue block of this docs file in place.")
def indicators(entity: str | None, as_json: bool, markdown: bool, docs_path: str | None) -> None:
    """List the indicators: id, entity and what each measures.

    \b
    Example:
      zonewatch indicators --entity property
      zonewatch indicators --json
    """
    found = [i for i in load_indicators() if entity is None or i.entity == entity]
    if docs_path:
        changed = update_docs(Path(docs_path), load_indicators())
        click.echo(f"{docs_path}: {'catalogue updated' if changed else 'already up to date'}")
        return
    if markdown:
        click.echo(render_catalogue(found))
        return
    if as_json:
        click.echo(json.dumps([{
            "id": i.id, "entity": i.entity, "title": i.title, "description": i.description,
            "rationale": i.rationale, "requires": list(i.requires), "weight": i.weight,
            "register": list(i.register),
            "params": {p.name: {"default": p.default, "help": p.help} for p in i.params},
        } for i in found], indent=2, ensure_ascii=False))
        return
    for i in found:
        click.echo(f"{i.id:<28} {i.entity:<9} {i.description}")
