"""Migrations bring an empty database to head, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect

from zonewatch.cli import main
from zonewatch.store import Store, StoreError, head_revision, upgrade
from zonewatch.store.db import current_revision, make_engine
from zonewatch.store.models import Base


def test_upgrade_empty_database_to_head(store_url: str) -> None:
    engine = make_engine(store_url)
    assert current_revision(engine) is None
    assert upgrade(engine) == head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    # the migrated schema has every column the models declare
    for name, table in Base.metadata.tables.items():
        cols = {c["name"] for c in inspect(engine).get_columns(name)}
        assert {c.name for c in table.columns} == cols, name
    assert upgrade(engine) == head_revision()  # a second upgrade is a no-op
    engine.dispose()


def test_db_upgrade_command(store_url: str) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade", "--store", store_url])
    assert result.exit_code == 0, result.output
    assert f"empty -> {head_revision()}" in result.output
    again = CliRunner().invoke(main, ["db", "current", "--store", store_url])
    assert f"current: {head_revision()}" in again.output


def test_store_opens_and_migrates_on_start(store_url: str) -> None:
    store = Store(store_url)
    assert current_revision(store.engine) == head_revision()
    store.dispose()


def test_store_session_rolls_back_on_error(store_url: str) -> None:
    from zonewatch.store.models import StoreMeta

    store = Store(store_url)
    with pytest.raises(RuntimeError):
        with store.session() as session:
            session.add(StoreMeta(key="k", value="v"))
            session.flush()
            raise RuntimeError("boom")
    with store.session() as session:
        assert session.get(StoreMeta, "k") is None
    store.dispose()


def test_bad_store_url_is_a_clear_error() -> None:
    with pytest.raises(StoreError, match="cannot use store URL"):
        make_engine("nosuchdriver://x")
    result = CliRunner().invoke(main, ["db", "upgrade", "--store", "nosuchdriver://x"])
    assert result.exit_code != 0
    assert "cannot use store URL" in result.output
