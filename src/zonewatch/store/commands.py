"""`zonewatch db`: create or migrate the operational store."""

from __future__ import annotations

import os

import click

from zonewatch.store.db import (
    DEFAULT_STORE_URL,
    StoreError,
    current_revision,
    head_revision,
    make_engine,
    upgrade,
)

store_option = click.option(
    "--store",
    "store_url",
    default=lambda: os.environ.get("ZONEWATCH_STORE", DEFAULT_STORE_URL),
    show_default="env ZONEWATCH_STORE or " + DEFAULT_STORE_URL,
    help="SQLAlchemy URL of the operational store (SQLite file or PostgreSQL).",
)


@click.group()
def db() -> None:
    """Manage the operational store (schema migrations).

    \b
    Example:
      zonewatch db upgrade --store sqlite:///demo/store.sqlite
      zonewatch db current
    """


@db.command("upgrade")
@store_option
@click.option("--revision", default="head", show_default=True, help="Target revision.")
def upgrade_cmd(store_url: str, revision: str) -> None:
    """Migrate the store at --store to the newest schema (creates it when empty).

    \b
    Example:
      zonewatch db upgrade --store postgresql+psycopg://zw@localhost/zonewatch
    """
    try:
        engine = make_engine(store_url)
        before = current_revision(engine)
        after = upgrade(engine, revision)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"store {engine.url!r}: {before or 'empty'} -> {after}")


@db.command("current")
@store_option
def current_cmd(store_url: str) -> None:
    """Show the store's schema revision and the package's head revision.

    \b
    Example:
      zonewatch db current --store sqlite:///demo/store.sqlite
    """
    try:
        engine = make_engine(store_url)
        click.echo(f"current: {current_revision(engine) or 'empty'}  head: {head_revision()}")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def audit() -> None:
    """Check the tamper-evident audit trail.

    \b
    Example:
      zonewatch audit verify --store sqlite:///demo/store.sqlite
    """


@audit.command("verify")
@store_option
def verify_cmd(store_url: str) -> None:
    """Walk the audit hash chain; exit 1 naming the first row deleted, altered or missing.

    \b
    Example:
      zonewatch audit verify --store postgresql+psycopg://zonewatch@db/zonewatch
    """
    from zonewatch.store.audit import verify
    from zonewatch.store.db import Store

    try:
        store = Store(store_url)
        with store.session() as session:
            verdict = verify(session)
        store.dispose()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    if not verdict.ok:
        raise click.ClickException(
            f"audit chain broken at row {verdict.broken_id}: {verdict.reason} "
            f"({verdict.rows} rows checked)"
        )
    click.echo(f"audit chain intact: {verdict.rows} rows")
