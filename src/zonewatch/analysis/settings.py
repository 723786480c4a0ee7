"""The settings of one analysis: the indicators' and scoring sections plus the network room's,
read from `--settings FILE` once and checked as a whole before anything runs."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from zonewatch.config import read_overrides
from zonewatch.indicators.settings import IndicatorSettings, indicator_settings
from zonewatch.network.settings import NetworkSettings, network_settings


@dataclass(frozen=True)
class AnalysisSettings(IndicatorSettings):
    """Indicator, scoring and calibration settings, and the network room's (`network`)."""

    network: NetworkSettings


def load_analysis_settings(path: str | Path | None = None) -> AnalysisSettings:
    """The defaults overridden by the YAML file at `path` (plain values in the declared tree;
    its `network:` section overrides docs/networks.md's settings)."""
    user = read_overrides(path) if path is not None else {}
    where = f"settings file {path}" if path is not None else "settings"
    network = user.pop("network", None) or {}
    indicators = indicator_settings(user, where)
    return AnalysisSettings(
        **{f.name: getattr(indicators, f.name) for f in dataclasses.fields(indicators)},
        network=network_settings(network, where, indicators.kinship, prefix="network."),
    )
