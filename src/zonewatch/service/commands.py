"""`zonewatch users`: create and list the people who may log in to the service."""

from __future__ import annotations

import click
from sqlalchemy import select

from zonewatch.service.auth import create_user, set_active, set_password
from zonewatch.store.commands import store_option
from zonewatch.store.db import Store, StoreError
from zonewatch.store.models import ROLES, User


@click.group()
def users() -> None:
    """Manage service users (roles: admin, analyst, inspector, auditor).

    \b
    Example:
      zonewatch users add ana --role analyst
      zonewatch users list
    """


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="ZONEWATCH_NEW_PASSWORD",
    help="Prompted when absent (or env ZONEWATCH_NEW_PASSWORD).",
)
@store_option
def add(username: str, role: str, password: str, store_url: str) -> None:
    """Create USERNAME with --role.

    \b
    Example:
      zonewatch users add ana --role analyst --store sqlite:///demo/store.sqlite
    """
    try:
        store = Store(store_url)
        with store.session() as session:
            create_user(session, username, password, role)
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"user {username} created with role {role}")


@users.command("list")
@store_option
def list_cmd(store_url: str) -> None:
    """List users and their roles.

    \b
    Example:
      zonewatch users list
    """
    try:
        store = Store(store_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    with store.session() as session:
        for user in session.scalars(select(User).order_by(User.username)):
            state = "" if user.active else " (disabled)"
            click.echo(f"{user.username}\t{user.role}{state}")


@users.command("passwd")
@click.argument("username")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    envvar="ZONEWATCH_NEW_PASSWORD",
    help="Prompted when absent (or env ZONEWATCH_NEW_PASSWORD).",
)
@store_option
def passwd(username: str, password: str, store_url: str) -> None:
    """Set USERNAME's password (ends their sessions).

    \b
    Example:
      zonewatch users passwd ana
    """
    _change(store_url, lambda s: set_password(s, username, password))
    click.echo(f"password of {username} changed")


@users.command("disable")
@click.argument("username")
@store_option
def disable(username: str, store_url: str) -> None:
    """Disable USERNAME (ends their sessions; history and audit stay).

    \b
    Example:
      zonewatch users disable ana
    """
    _change(store_url, lambda s: set_active(s, username, False))
    click.echo(f"user {username} disabled")


@users.command("enable")
@click.argument("username")
@store_option
def enable(username: str, store_url: str) -> None:
    """Enable USERNAME again.

    \b
    Example:
      zonewatch users enable ana
    """
    _change(store_url, lambda s: set_active(s, username, True))
    click.echo(f"user {username} enabled")


def _change(store_url: str, action) -> None:  # noqa: ANN001
    try:
        with Store(store_url).session() as session:
            action(session)
    except (ValueError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
