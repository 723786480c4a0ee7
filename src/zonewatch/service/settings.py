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
    ("login_max_failures", "ZONEWATCH_LOGIN_MAX_FAILURES", "10",
     "failed logins of one username within the window before it is refused (429)"),
    ("login_window_minutes", "ZONEWATCH_LOGIN_WINDOW_MINUTES", "15",
     "minutes over which failed logins are counted"),
)
INTEGERS = ("token_hours", "login_max_failures", "login_window_minutes")


@dataclass(frozen=True)
class Settings:
    """Everything the service needs to start; build it with `Settings.from_env`."""

    store_url: str = DEFAULT_STORE_URL
    run_dir: Path | None = None
    secret: str | None = None
    token_hours: int = 12
    cookie_secure: bool = False
    login_max_failures: int = 10
    login_window_minutes: int = 15

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
        numbers: dict[str, int] = {}
        envs = {name: env for name, env, _d, _h in SETTINGS}
        for name in INTEGERS:
            try:
                numbers[name] = int(str(values[name]))
            except ValueError as exc:
                raise ValueError(f"{envs[name]} must be an integer, got {exc}") from exc
        return cls(
            store_url=str(values["store_url"]),
            run_dir=Path(str(run_dir)) if run_dir else None,
            secret=str(values["secret"]) if values["secret"] else None,
            cookie_secure=str(values["cookie_secure"]).lower() in ("1", "true", "yes"),
            **numbers,
        )
