"""Indicator definitions: one YAML file per red flag, loaded and checked here."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFS_DIR = Path(__file__).parent / "defs"
ENTITIES = ("property", "owner", "official", "office")
STAGES = ("main", "after_networks")
REQUIRED_TEXT = ("title", "description", "rationale", "explanation", "sql")


class IndicatorDefinitionError(ValueError):
    """An indicator YAML file breaks the format in docs/indicators.md."""


@dataclass(frozen=True)
class Param:
    """A tunable parameter with its default and help text."""

    name: str
    default: Any
    help: str


@dataclass(frozen=True)
class Indicator:
    """One red flag: what it measures, why, its SQL and how it explains itself."""

    id: str
    entity: str
    title: str
    description: str
    rationale: str
    requires: tuple[str, ...]
    params: tuple[Param, ...]
    sql: str
    explanation: str
    register: tuple[str, ...] = ()
    weight: float = 1.0
    stage: str = "main"
    family: str = ""  # evidence family: indicators measuring one fact; empty = its own
    source: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def defaults(self) -> dict[str, Any]:
        """Parameter defaults by name."""
        return {p.name: p.default for p in self.params}

    def missing_tables(self, present: set[str]) -> list[str]:
        """Required tables (or `a|b` alternatives) absent from `present`."""
        return [req for req in self.requires if not set(req.split("|")) & present]


def parse_indicator(data: dict[str, Any], source: str = "") -> Indicator:
    """Build an Indicator from a parsed YAML mapping, with a specific error when invalid."""
    where = source or data.get("id", "<indicator>")
    if not isinstance(data, dict):
        raise IndicatorDefinitionError(f"{where}: expected a mapping")
    for key in ("id", "entity", *REQUIRED_TEXT):
        if not str(data.get(key) or "").strip():
            raise IndicatorDefinitionError(f"{where}: missing required field {key!r}")
    if data["entity"] not in ENTITIES:
        raise IndicatorDefinitionError(
            f"{where}: entity {data['entity']!r} is not one of {', '.join(ENTITIES)}"
        )
    stage = str(data.get("stage", "main"))
    if stage not in STAGES:
        raise IndicatorDefinitionError(f"{where}: stage {stage!r} is not one of {STAGES}")
    params = []
    for name, spec in (data.get("params") or {}).items():
        if not isinstance(spec, dict) or "default" not in spec:
            raise IndicatorDefinitionError(f"{where}: param {name!r} needs a default")
        if not str(spec.get("help") or "").strip():
            raise IndicatorDefinitionError(f"{where}: param {name!r} needs a help text")
        params.append(Param(name, spec["default"], str(spec["help"]).strip()))
    known = {"id", "entity", "requires", "params", "register", "weight", "stage", "family",
             *REQUIRED_TEXT}
    return Indicator(
        id=str(data["id"]),
        entity=str(data["entity"]),
        title=str(data["title"]).strip(),
        description=" ".join(str(data["description"]).split()),
        rationale=" ".join(str(data["rationale"]).split()),
        requires=tuple(str(t) for t in data.get("requires") or ()),
        params=tuple(params),
        sql=str(data["sql"]),
        explanation=str(data["explanation"]).strip(),
        register=tuple(str(c) for c in data.get("register") or ()),
        weight=float(data.get("weight", 1.0)),
        stage=stage,
        family=str(data.get("family") or data["id"]),
        source=source,
        extra={k: v for k, v in data.items() if k not in known},
    )


def load_indicators(directory: Path = DEFS_DIR) -> list[Indicator]:
    """All indicators in `directory`, property ones first, then by entity and id."""
    found: list[Indicator] = []
    for path in sorted(directory.glob("*.yaml")):
        with path.open(encoding="utf-8") as fh:
            ind = parse_indicator(yaml.safe_load(fh), source=path.name)
        if path.stem != ind.id:
            raise IndicatorDefinitionError(f"{path.name}: id {ind.id!r} must match the file name")
        found.append(ind)
    ids = [i.id for i in found]
    dupes = {i for i in ids if ids.count(i) > 1}
    if dupes:
        raise IndicatorDefinitionError(f"duplicate indicator ids: {sorted(dupes)}")
    return sorted(found, key=lambda i: (ENTITIES.index(i.entity), i.id))
