"""Alembic environment: runs migrations on the connection handed over by zonewatch.store.db."""

from __future__ import annotations

from alembic import context

from zonewatch.store.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through zonewatch.store.db.upgrade(), not the alembic CLI")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
)
with context.begin_transaction():
    context.run_migrations()
