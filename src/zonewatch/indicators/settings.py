"""Analysis settings: defaults in settings.yaml, overridden by a user file."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

DEFAULTS = Path(__file__).parent / "settings.yaml"


class SettingsError(ValueError):
    """A settings file is unreadable or holds unknown keys."""


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_settings(path: str | Path | None = None) -> dict[str, Any]:
    """Default settings merged with the YAML file at `path` (lists are replaced, not merged)."""
    with DEFAULTS.open(encoding="utf-8") as fh:
        settings = yaml.safe_load(fh)
    if path is None:
        return settings
    try:
        with Path(path).open(encoding="utf-8") as fh:
            user = yaml.safe_load(fh) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise SettingsError(f"cannot read settings file {path}: {exc}") from exc
    if not isinstance(user, dict):
        raise SettingsError(f"settings file {path} must hold a mapping")
    allowed = set(settings) | {"network"}
    unknown = set(user) - allowed
    if unknown:
        raise SettingsError(f"settings file {path}: unknown keys {sorted(unknown)}; "
                            f"allowed: {sorted(allowed)}")
    for section in SECTIONS_WITH_FIXED_KEYS:
        _refuse_unknown(path, section, settings.get(section), user.get(section))
    return _merge(settings, user)


# sections whose keys are settings (not indicator ids): a misspelt key is an error
SECTIONS_WITH_FIXED_KEYS = ("scoring", "calibration")


def _refuse_unknown(path: str | Path, where: str, default: Any, given: Any) -> None:
    if not isinstance(given, dict) or not isinstance(default, dict):
        return
    unknown = set(given) - set(default)
    if unknown:
        raise SettingsError(f"settings file {path}: unknown keys {sorted(unknown)} in "
                            f"{where}; allowed: {sorted(default)}")
    for key, value in given.items():
        _refuse_unknown(path, f"{where}.{key}", default[key], value)
