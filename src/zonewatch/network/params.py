"""Settings of the network room (settings.yaml, overridable) and the catalogue of the red
flags it computes in Python (indicators.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

SETTINGS_FILE = Path(__file__).with_name("settings.yaml")


@cache
def declared() -> dict[str, dict[str, Any]]:
    """The declared settings: name -> {value, help}."""
    with SETTINGS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def resolve(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults merged with overrides; an unknown setting name is an error."""
    values = {name: spec["value"] for name, spec in declared().items()}
    for name, value in (overrides or {}).items():
        if name not in values:
            raise ValueError(
                f"unknown network setting {name!r}; known: {', '.join(sorted(values))}"
            )
        values[name] = value
    return values


CATALOG_FILE = Path(__file__).with_name("indicators.yaml")


@cache
def catalog() -> dict[str, dict[str, Any]]:
    """The red flags computed here: id -> {entity, title, description, rationale, register}."""
    with CATALOG_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
