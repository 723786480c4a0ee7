"""What a running service holds: settings, the opened store, the pseudonym key, the run."""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from zonewatch.errors import Invalid
from zonewatch.register.runs import register_run
from zonewatch.register.seed import seed_register
from zonewatch.rundir import RunDir, open_run
from zonewatch.service.settings import Settings
from zonewatch.store.db import Store
from zonewatch.store.models import RegisterEntry, StoreMeta

KEY_NAME = "pseudonym_key"
log = logging.getLogger(__name__)


@dataclass
class ServiceState:
    """Shared by every request: `request.app.state.zonewatch`."""

    settings: Settings
    store: Store
    pseudonym_key: bytes
    run_path: Path | None = field(default=None)

    @property
    def run(self) -> RunDir | None:
        """The version of the served run to read now (`rundir.open_run` decides)."""
        return open_run(self.run_path) if self.run_path is not None else None


def pseudonym_key(store: Store, configured: str | None) -> bytes:
    """The configured secret, or a random key created once and kept in the store."""
    if configured:
        return configured.encode()
    with store.session() as session:
        row = session.get(StoreMeta, KEY_NAME)
        if row is None:
            row = StoreMeta(key=KEY_NAME, value=secrets.token_hex(32))
            session.add(row)
        return row.value.encode()


def open_state(settings: Settings) -> ServiceState:
    """Open (and migrate) the store and the run directory named by `settings`."""
    store = Store(settings.store_url)
    with store.session() as session:
        if session.scalar(select(RegisterEntry.id).limit(1)) is None:
            seed_register(session)  # a new store starts with the seeded register
    run = open_run(settings.run_dir) if settings.run_dir else None
    if run is not None:
        _register_served_run(store, run)
    path = run.path if run is not None else None
    return ServiceState(settings, store, pseudonym_key(store, settings.secret), path)


def _register_served_run(store: Store, run: RunDir) -> None:
    """Record the served run in the store so the register's evidence and trends include it."""
    try:
        with store.session() as session:
            register_run(session, run.path)
    except Invalid as exc:  # e.g. a run without evidence.csv: serve it anyway
        log.warning("served run not registered: %s", exc)
