"""Settings of the service, declared as data in settings.yaml: value, env var and help.

The CLI (`--store`, `--run`), the environment and tests all build the same `Settings`,
so the API and the web pages on it read one configuration.
"""

from __future__ import annotations

import os
import typing
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from zonewatch.config import SettingsError, build, declared_values, entries, read_declared
from zonewatch.store.db import DEFAULT_STORE_URL

SETTINGS_FILE = Path(__file__).with_name("settings.yaml")
TRUE = ("1", "true", "yes")


@cache
def declared() -> dict[str, Any]:
    """The declared settings: name -> {value, env, help}."""
    return read_declared(SETTINGS_FILE)


def _default(name: str) -> Any:
    """A field whose default is the declared value (the store's own URL for `store_url`)."""
    if name == "store_url":
        return field(default_factory=lambda: declared()[name]["value"] or DEFAULT_STORE_URL)
    return field(default_factory=lambda: declared()[name]["value"])


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start; build it with `Settings.from_env`."""

    store_url: str = _default("store_url")
    run_dir: Path | None = _default("run_dir")
    secret: str | None = _default("secret")
    token_hours: int = _default("token_hours")
    cookie_secure: bool = _default("cookie_secure")
    login_max_failures: int = _default("login_max_failures")
    login_window_minutes: int = _default("login_window_minutes")

    @classmethod
    def from_env(
        cls, store: str | None = None, run: str | Path | None = None, **overrides: object
    ) -> Settings:
        """Explicit arguments win over environment variables, which win over defaults."""
        values: dict[str, Any] = declared_values(declared())
        hints = typing.get_type_hints(cls)
        for entry in entries(declared()):
            raw = os.environ.get(entry.env)
            if raw is not None:
                values[entry.name] = _from_text(hints[entry.name], raw, entry.env)
        if store:
            values["store_url"] = store
        if run:
            values["run_dir"] = run
        values.update(overrides)
        values["store_url"] = values["store_url"] or DEFAULT_STORE_URL
        return build(cls, values, "service settings")


def _from_text(hint: Any, raw: str, env: str) -> Any:
    """An environment variable's text as the setting's type; empty = none."""
    if hint is int:
        try:
            return int(raw)
        except ValueError as exc:
            raise SettingsError(f"{env} must be an integer, got {raw!r}") from exc
    if hint is bool:
        return raw.lower() in TRUE
    return raw or None
