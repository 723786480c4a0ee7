"""Settings of the network room: declared with their help in settings.yaml, parsed once into
`NetworkSettings`; the kinship rules come from the indicators' settings (one declaration)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from zonewatch.config import build, overlay, read_declared
from zonewatch.indicators.settings import KinshipSettings, indicator_settings

SETTINGS_FILE = Path(__file__).with_name("settings.yaml")
# network settings that moved, for a clear error on an old settings file
MOVED = {"parent_age_gap": "kinship.parent_age_gap",
         "sibling_age_gap": "kinship.sibling_age_gap"}


@dataclass(frozen=True)
class NetworkSettings:
    """Thresholds and weights of owners, officials, offices and networks (settings.yaml)."""

    flag_quantile: float
    flag_min_score: float
    recent_days: int
    ended_recent_days: int
    hub_property_kinds: tuple[str, ...]
    hub_org_kinds: tuple[str, ...]
    landlord_min_properties: int
    landlord_max_flagged_share: float
    unflagged_weight: float
    group_min_flagged_flats: int
    nominee_group_share: float
    tie_min_weight: float
    tie_weight_declared_family: float
    tie_weight_inferred_family: float
    tie_weight_surname: float
    surname_group_max: int
    tie_shared_registrants: int
    tie_weight_shared_registrants: float
    tie_official_similarity: float
    tie_weight_same_officials: float
    tie_weight_same_deviant_official: float
    tie_shared_days: int
    tie_shared_days_share: float
    tie_weight_same_days: float
    official_window_days: int
    official_alpha: float
    official_lift_min: float
    prior_strength_bounds: tuple[float, float]
    official_flagged_share_weight: float
    office_flagged_share_weight: float
    min_shared_persons: int
    mover_alpha: float
    mover_pseudo_count: float
    mover_max_flats: int
    shared_owner_weight: float
    tied_owner_weight: float
    max_component_properties: int
    leiden_resolution: float
    leiden_iterations: int
    owner_flat_min_strangers: int
    network_min_flagged: int
    network_min_movers: int
    network_mover_weight: float
    official_member_share: float
    owner_consented_strangers: int
    kinship: KinshipSettings


@cache
def declared() -> dict[str, dict[str, Any]]:
    """The declared settings: name -> {value, help}."""
    return read_declared(SETTINGS_FILE)


def network_settings(overrides: Mapping[str, Any] | None = None, where: str = SETTINGS_FILE.name,
                     kinship: KinshipSettings | None = None, prefix: str = "") -> NetworkSettings:
    """The defaults with `overrides` laid over them; an unknown name is a SettingsError
    naming `where` and the key (`prefix` is where the section sits in a user file)."""
    values = overlay(declared(), overrides or {}, where, prefix,
                     {prefix + old: new for old, new in MOVED.items()})
    values["kinship"] = kinship or indicator_settings().kinship
    return build(NetworkSettings, values, where, prefix)
