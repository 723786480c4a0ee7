"""The catalogue of the red flags the network room computes in Python (indicators.yaml)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

CATALOG_FILE = Path(__file__).with_name("indicators.yaml")


@cache
def catalog() -> dict[str, dict[str, Any]]:
    """The red flags computed here: id -> {entity, title, description, rationale, register}."""
    with CATALOG_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)
