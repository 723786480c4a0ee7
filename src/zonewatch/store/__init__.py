"""The operational store: what people write (register, plans, outcomes, users, audit).

SQLite by default, PostgreSQL by URL; Alembic migrations ship inside the package and
`Store(url)` brings the schema to head on open.
"""

from zonewatch.store.db import DEFAULT_STORE_URL, Store, StoreError, head_revision, upgrade

__all__ = ["DEFAULT_STORE_URL", "Store", "StoreError", "head_revision", "upgrade"]
