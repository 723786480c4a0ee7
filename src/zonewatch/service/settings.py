"""Settings of the service, declared as data: (name, env var, default, help).

The CLI (`--store`, `--run`), the environment and tests all build the same `Settings`,
so the API and the web pages on it read one configuration.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from zonewatch.store.db import DEFAULT_STORE_URL

# name, environment variable, default, help
SETTINGS: tuple[tuple[str, str, str | None, str], ...] = (
    ("store_url", "ZONEWATCH_STORE", DEFAULT_STORE_URL, "SQLAlchemy URL of the operational store"),
    ("run_dir", "ZONEWATCH_RUN", None, "analysis run directory served (zonewatch analyze --out)"),
    ("secret", "ZONEWATCH_SECRET", None, "key for pseudonyms; default: random, kept in the store"),
    ("token_hours", "ZONEWATCH_TOKEN_HOURS", "12", "hours a login token / session cookie lives"),
    ("cookie_secure", "ZONEWATCH_COOKIE_SECURE", "0", "1 = session cookie only over HTTPS"),
)


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start; build it with `Settings.from_env`."""

    store_url: str = DEFAULT_STORE_URL
    run_dir: Path | None = None
    secret: str | None = None
    token_hours: int = 12
    cookie_secure: bool = False

    @classmethod
    def from_env(
        cls, store: str | None = None, run: str | Path | None = None, **overrides: object
    ) -> Settings:
        """Explicit arguments win over environment variables, which win over defaults."""
        values: dict[str, object] = {}
        for name, env, default, _help in SETTINGS:
            raw = os.environ.get(env, default)
            values[name] = raw
        if store:
            values["store_url"] = store
        if run:
            values["run_dir"] = run
        values.update(overrides)
        run_dir = values["run_dir"]
        try:
            hours = int(str(values["token_hours"]))
        except ValueError as exc:
            raise ValueError(f"ZONEWATCH_TOKEN_HOURS must be an integer, got {exc}") from exc
        return cls(
            store_url=str(values["store_url"]),
            run_dir=Path(str(run_dir)) if run_dir else None,
            secret=str(values["secret"]) if values["secret"] else None,
            token_hours=hours,
            cookie_secure=str(values["cookie_secure"]).lower() in ("1", "true", "yes"),
        )
