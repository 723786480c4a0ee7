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


def test_upgrade_from_first_revision_keeps_data(store_url: str) -> None:
    from datetime import date, datetime

    from sqlalchemy import text

    engine = make_engine(store_url)
    assert upgrade(engine, "0001") == "0001"
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO inspection_plans (id, run_path, created_at, created_by, teams, days, "
            "visits_per_day, start_on) VALUES (1, '/r', :t, 'ann', 1, 1, 1, :d)"),
            {"t": datetime(2026, 11, 1), "d": date(2026, 11, 2)})
        conn.execute(text(
            "INSERT INTO plan_visits (id, plan_id, team, day, visit_on, seq, property_id, rank, "
            "score) VALUES (1, 1, 1, 1, :d, 1, 'H1', 1, 9.5)"), {"d": date(2026, 11, 2)})
    assert "address" not in {c["name"] for c in inspect(engine).get_columns("plan_visits")}
    assert upgrade(engine) == head_revision() != "0001"
    with engine.connect() as conn:
        row = conn.execute(text("SELECT property_id, score, address FROM plan_visits")).one()
    assert tuple(row) == ("H1", 9.5, None)
    engine.dispose()
