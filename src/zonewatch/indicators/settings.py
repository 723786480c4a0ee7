"""Analysis settings: declared with their help in settings.yaml, parsed once into the typed
objects below, overridden by a user file of plain values (`zonewatch analyze --settings`).

Indicator ids in `params`, `weights` and `disabled`, and parameter names in `params`, are
checked against the definitions; anything unknown is refused with the file and the key.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from zonewatch.config import SettingsError, build, overlay, read_declared, read_overrides
from zonewatch.indicators.spec import Indicator, load_indicators

DEFAULTS = Path(__file__).parent / "settings.yaml"


@dataclass(frozen=True)
class Norm:
    """A living-space norm: m² of useful area per registrant, by district, from a date."""

    district: str
    m2_per_person: float
    effective_from: dt.date


@dataclass(frozen=True)
class KinshipSettings:
    """When a tie inferred from names is plausible family (SQL households, network ties)."""

    parent_age_gap: tuple[int, int]
    sibling_age_gap: int


@dataclass(frozen=True)
class RaritySettings:
    """How property hits are measured against their peers (`scoring.rarity`)."""

    reference: float
    share: float
    min_peers: int


@dataclass(frozen=True)
class ScoringSettings:
    """How hits add up to a property score (`scoring`)."""

    tiebreak_weight: float
    family_discount: float
    rarity: RaritySettings


@dataclass(frozen=True)
class CalibrationSettings:
    """Learning from inspection outcomes (`calibration`)."""

    min_outcomes: int
    min_per_class: int
    prior_precision: float
    max_ipw: float
    support_visits: float
    propensity_bins: tuple[int, ...]
    label_noise: float
    owner_violation_weight: float
    violation_weight: float
    clean_factor: float
    pattern_prior_visits: float
    pattern_max_points: float


@dataclass(frozen=True)
class IndicatorSettings:
    """Everything the indicators and the property scoring read from settings."""

    params: dict[str, dict[str, Any]]
    weights: dict[str, float]
    disabled: tuple[str, ...]
    norms: tuple[Norm, ...]
    kinship: KinshipSettings
    scoring: ScoringSettings
    calibration: CalibrationSettings


@cache
def declared() -> dict[str, Any]:
    """The declared tree of settings.yaml: entries {value, help} in sections."""
    return read_declared(DEFAULTS)


def indicator_settings(overrides: Mapping[str, Any] | None = None, where: str = DEFAULTS.name,
                       indicators: list[Indicator] | None = None) -> IndicatorSettings:
    """The defaults with `overrides` (plain values, same tree) laid over them, checked
    against the indicator definitions; SettingsError names `where` and the key."""
    values = overlay(declared(), overrides or {}, where)
    settings: IndicatorSettings = build(IndicatorSettings, values, where)
    _check_ids(settings, indicators if indicators is not None else load_indicators(), where)
    rarity = settings.scoring.rarity
    if rarity.reference <= 1 or not 0 <= rarity.share <= 1 or rarity.min_peers < 1:
        raise SettingsError(f"{where}: scoring.rarity needs reference > 1, 0 <= share <= 1, "
                            f"min_peers >= 1; got {rarity}")
    for i, norm in enumerate(settings.norms):
        if norm.m2_per_person <= 0:
            raise SettingsError(f"{where}: norms[{i}].m2_per_person must be > 0, "
                                f"got {norm.m2_per_person}")
    return settings


def load_settings(path: str | Path | None = None) -> IndicatorSettings:
    """The defaults overridden by the YAML file at `path` (lists are replaced, not merged)."""
    if path is None:
        return indicator_settings()
    return indicator_settings(read_overrides(path), where=f"settings file {path}")


def _check_ids(settings: IndicatorSettings, indicators: list[Indicator], where: str) -> None:
    by_id = {i.id: i for i in indicators}
    for section, ids in (("params", settings.params), ("weights", settings.weights),
                         ("disabled", settings.disabled)):
        unknown = sorted(set(ids) - set(by_id))
        if unknown:
            raise SettingsError(f"{where}: unknown indicator ids in {section}: {unknown}; "
                                f"known: {', '.join(sorted(by_id))}")
    for ind_id, given in settings.params.items():
        unknown = sorted(set(given) - set(by_id[ind_id].defaults()))
        if unknown:
            raise SettingsError(f"{where}: params.{ind_id}: unknown parameters {unknown}; "
                                f"known: {sorted(by_id[ind_id].defaults())}")
