"""Settings declared as data: every entry a `{value, help}` pair in a room's YAML file,
parsed once into that room's typed dataclasses, overridden by user files of plain values."""

from zonewatch.config.declared import (
    Entry,
    SettingsError,
    build,
    declared_values,
    entries,
    overlay,
    read_declared,
    read_overrides,
)

__all__ = ["Entry", "SettingsError", "build", "declared_values", "entries", "overlay",
           "read_declared", "read_overrides"]
