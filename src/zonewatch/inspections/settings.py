"""Planner settings, declared once in settings.yaml as {value, help}: the CLI options, their
--help and docs/plans.md come from here."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from zonewatch.config import Entry, entries, read_declared

SETTINGS_FILE = Path(__file__).with_name("settings.yaml")


@cache
def declared() -> dict[str, Any]:
    """The declared planner settings: name -> {value, help}."""
    return read_declared(SETTINGS_FILE)


PLAN_SETTINGS: tuple[Entry, ...] = tuple(entries(declared()))
DEFAULTS: dict[str, float | int] = {s.name: s.value for s in PLAN_SETTINGS}
HELP: dict[str, str] = {s.name: s.help for s in PLAN_SETTINGS}
