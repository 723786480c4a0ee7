"""The one catalogue of red flags: the SQL-defined indicators (defs/*.yaml) and the ones the
network room computes in Python (computed.yaml), described alike. `zonewatch indicators`,
the indicators page and the register read it; an id defined twice is an error."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from zonewatch.indicators.spec import ENTITIES, IndicatorDefinitionError, Param, load_indicators

COMPUTED_FILE = Path(__file__).with_name("computed.yaml")
COMPUTED_ENTITIES = (*ENTITIES, "network")
COMPUTED_FIELDS = ("entity", "title", "description", "rationale", "register")


@dataclass(frozen=True)
class RedFlag:
    """One red flag as people read it: what, why, the register entries it supports."""

    id: str
    entity: str
    title: str
    description: str
    rationale: str
    register: tuple[str, ...]
    computed_by: str  # "sql" (an indicator definition) or "network" (the network room)
    weight: float | None = None  # declared weight (SQL indicators; computed ones: none)
    params: tuple[Param, ...] = ()


def _computed() -> list[RedFlag]:
    with COMPUTED_FILE.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    found = []
    for ind_id, spec in data.items():
        where = f"{COMPUTED_FILE.name}: {ind_id}"
        if not isinstance(spec, dict) or set(spec) != set(COMPUTED_FIELDS):
            raise IndicatorDefinitionError(f"{where}: needs exactly {', '.join(COMPUTED_FIELDS)}")
        if spec["entity"] not in COMPUTED_ENTITIES:
            raise IndicatorDefinitionError(f"{where}: entity {spec['entity']!r} is not one of "
                                           f"{', '.join(COMPUTED_ENTITIES)}")
        found.append(RedFlag(
            id=str(ind_id), entity=str(spec["entity"]), title=str(spec["title"]).strip(),
            description=" ".join(str(spec["description"]).split()),
            rationale=" ".join(str(spec["rationale"]).split()),
            register=tuple(str(c) for c in spec["register"]), computed_by="network"))
    return found


@cache
def catalogue() -> dict[str, RedFlag]:
    """Every red flag by id: the SQL indicators (property first, then by entity and id),
    then the computed ones in file order."""
    sql = [RedFlag(id=i.id, entity=i.entity, title=i.title, description=i.description,
                   rationale=i.rationale, register=i.register, computed_by="sql",
                   weight=i.weight, params=i.params) for i in load_indicators()]
    flags: dict[str, RedFlag] = {}
    for flag in [*sql, *_computed()]:
        if flag.id in flags:
            raise IndicatorDefinitionError(f"red flag {flag.id!r} is defined twice "
                                           f"({flags[flag.id].computed_by} and {flag.computed_by})")
        flags[flag.id] = flag
    return flags
