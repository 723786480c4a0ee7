"""Planner settings, declared once as (name, default, help): the CLI options, their --help
and docs/plans.md come from here."""

from __future__ import annotations

from typing import NamedTuple


class Setting(NamedTuple):
    """One planner setting."""

    name: str
    default: float | int
    help: str


PLAN_SETTINGS: tuple[Setting, ...] = (
    Setting("explore_share", 0.15,
            "Share of the visits kept for exploration drawn at random with known probability."),
    Setting("band_width", 1.0,
            "Size of the exploration band just below the cut-off, as a multiple of the capacity."),
    Setting("skip_days", 180,
            "Skip properties in an open plan or inspected within this many days (0: never)."),
)
DEFAULTS: dict[str, float | int] = {s.name: s.default for s in PLAN_SETTINGS}
HELP: dict[str, str] = {s.name: s.help for s in PLAN_SETTINGS}
