"""Opening the store: engine, sessions and migrations to head, for SQLite or PostgreSQL.

One place decides how a URL becomes an engine (SQLite gets foreign keys switched on) and
how the schema is brought to the head revision, so the CLI, the API and tests agree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
DEFAULT_STORE_URL = "sqlite:///zonewatch-store.sqlite"


class StoreError(RuntimeError):
    """The store cannot be opened or migrated; the message says why."""


def _one_line(exc: BaseException) -> str:
    """The driver's own reason, first line only (no SQLAlchemy background link)."""
    reason = getattr(exc, "orig", None) or exc
    return (str(reason).strip().splitlines() or [type(reason).__name__])[0]


def _cannot_open(url: str, exc: BaseException) -> StoreError:
    """A StoreError naming the URL (password hidden) and why it cannot be opened."""
    shown = make_url(url).render_as_string(hide_password=True) if "://" in url else url
    hint = ""
    if shown.startswith("sqlite:///") and shown not in ("sqlite:///:memory:",):
        parent = Path(shown.removeprefix("sqlite:///")).parent
        if not parent.is_dir():
            hint = f" (directory {parent} does not exist)"
        elif not os.access(parent, os.W_OK):
            hint = f" (directory {parent} is not writable)"
    return StoreError(f"cannot open store {shown!r}: {_one_line(exc)}{hint}")


# connections per process (env ZONEWATCH_DB_POOL): a request holds at most one, and only
# while it uses it, so requests beyond the pool queue for one (up to POOL_TIMEOUT seconds)
# instead of deadlocking; keep workers x pool under PostgreSQL's max_connections
DEFAULT_POOL, POOL_TIMEOUT = 20, 30


def pool_limit() -> int:
    """Most connections one process opens (env ZONEWATCH_DB_POOL, default DEFAULT_POOL)."""
    raw = os.environ.get("ZONEWATCH_DB_POOL", str(DEFAULT_POOL))
    if not raw.isdigit() or int(raw) < 1:
        raise StoreError(f"ZONEWATCH_DB_POOL must be a whole number >= 1, got {raw!r}")
    return int(raw)


def _pool_options(url: str) -> dict:
    if url in ("sqlite://", "sqlite:///:memory:") or url.startswith("sqlite:///:memory:"):
        return {}
    limit = pool_limit()
    size = min(10, limit)
    options = {"pool_size": size, "max_overflow": limit - size, "pool_timeout": POOL_TIMEOUT}
    if not url.startswith("sqlite"):
        options["pool_pre_ping"] = True  # a restarted server does not fail the next request
    return options


def make_engine(url: str) -> Engine:
    """Build an engine for `url`; SQLite enforces foreign keys (like PostgreSQL) and uses WAL."""
    file_sqlite = url.startswith("sqlite") and ":memory:" not in url and url != "sqlite://"
    # SQLite: wait for the write lock (up to POOL_TIMEOUT) instead of failing at once
    connect_args = {"timeout": POOL_TIMEOUT} if file_sqlite else {}
    try:
        engine = create_engine(url, future=True, connect_args=connect_args,
                               **_pool_options(url))
    except Exception as exc:  # bad URL or missing driver: say which
        raise StoreError(f"cannot use store URL {url!r}: {_one_line(exc)}") from exc
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _fk_on(dbapi_conn, _record) -> None:  # noqa: ANN001
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            if url not in ("sqlite://", "sqlite:///:memory:"):
                # WAL: readers never wait for the writer, and a commit costs no full fsync
                cur.execute("PRAGMA journal_mode=WAL")
                cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

    return engine


def _alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def head_revision() -> str:
    """The newest migration revision shipped with this package."""
    head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at (None for an empty database); StoreError if unreachable."""
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    except SQLAlchemyError as exc:
        raise _cannot_open(engine.url.render_as_string(hide_password=False), exc) from exc


def upgrade(engine: Engine, revision: str = "head") -> str:
    """Migrate the database to `revision` (default head) and return the revision reached."""
    cfg = _alembic_config()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    except Exception as exc:
        raise StoreError(f"migrating {engine.url!r} failed: {_one_line(exc)}") from exc
    reached = current_revision(engine)
    return reached or ""


class Store:
    """An opened store: engine plus a session factory; `session()` is one transaction."""

    def __init__(self, url: str, *, migrate: bool = True) -> None:
        self.url = url
        self.engine = make_engine(url)
        if migrate and current_revision(self.engine) != head_revision():
            upgrade(self.engine)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls everything back on any error."""
        session = self._sessions()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def new_session(self) -> Session:
        """A bare session; the caller commits or rolls back (used by request dependencies)."""
        return self._sessions()

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()
