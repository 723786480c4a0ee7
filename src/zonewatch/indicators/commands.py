"""`zonewatch indicators`: list the red flags of the one catalogue (id, entity, description)."""

from __future__ import annotations

import json
from pathlib import Path

import click

from zonewatch.indicators.catalogue import COMPUTED_ENTITIES, catalogue
from zonewatch.indicators.docs import render_catalogue, update_docs
from zonewatch.indicators.spec import load_indicators


@click.command()
@click.option("--entity", type=click.Choice(COMPUTED_ENTITIES), default=None,
              help="Only indicators of this entity.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with params and rationale).")
@click.option("--markdown", is_flag=True, help="Print the docs/indicators.md catalogue block.")
@click.option("--update-docs", "docs_path", type=click.Path(exists=True, dir_okay=False),
              default=None, help="Rewrite the catalogue block of this docs file in place.")
def indicators(entity: str | None, as_json: bool, markdown: bool, docs_path: str | None) -> None:
    """List the red flags: id, entity and what each measures.

    The SQL indicators (zonewatch/indicators/defs) and those the network room computes in
    Python (zonewatch/indicators/computed.yaml), as the pages and the register show them.

    \b
    Example:
      zonewatch indicators --entity property
      zonewatch indicators --json
    """
    if docs_path:
        changed = update_docs(Path(docs_path), load_indicators())
        click.echo(f"{docs_path}: {'catalogue updated' if changed else 'already up to date'}")
        return
    if markdown:
        click.echo(render_catalogue([i for i in load_indicators()
                                     if entity is None or i.entity == entity]))
        return
    found = [f for f in catalogue().values() if entity is None or f.entity == entity]
    if as_json:
        requires = {i.id: list(i.requires) for i in load_indicators()}
        click.echo(json.dumps([{
            "id": f.id, "entity": f.entity, "title": f.title, "description": f.description,
            "rationale": f.rationale, "computed_by": f.computed_by,
            "requires": requires.get(f.id, []), "weight": f.weight, "register": list(f.register),
            "params": {p.name: {"default": p.default, "help": p.help} for p in f.params},
        } for f in found], indent=2, ensure_ascii=False))
        return
    for f in found:
        click.echo(f"{f.id:<28} {f.entity:<9} {f.description}")
