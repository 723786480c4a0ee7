"""The `--memory-limit` option shared by `analyze` and `ingest`."""

from __future__ import annotations

import os

import click

from zonewatch.engine.resources import ENV_MEMORY, MEMORY_SHARE, memory_limit

MEMORY_HELP = (
    f"DuckDB memory cap, e.g. 8GB or 50%; beyond it work spills to DATABASE.spill/ "
    f"[default: ${ENV_MEMORY}, else {MEMORY_SHARE:.0%} of RAM]"
)


def memory_option(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Validate --memory-limit and pass it on through ZONEWATCH_MEMORY_LIMIT.

    The environment reaches every DuckDB connection the command opens (ingest's and the
    analysis'), without threading the value through each call.
    """
    if value is None:
        return None
    try:
        memory_limit(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    os.environ[ENV_MEMORY] = value
    return value
