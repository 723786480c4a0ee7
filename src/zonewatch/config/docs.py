"""The settings tables in docs/*.md, generated from the declared files.

Each table sits between `<!-- settings:NAME:start -->` and `<!-- settings:NAME:end -->`; a
test (tests/test_settings_docs.py) compares every one with `render_table`, so a setting
missing from the docs, or a documented one that no longer exists, fails it and prints the
block to paste.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from zonewatch.config.declared import Entry

MARKER = re.compile(
    r"<!-- settings:(?P<name>[a-z_]+):start -->\n.*?<!-- settings:(?P=name):end -->", re.S)


def _value(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, (list, dict)):
        return yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    return str(value)


def render_table(name: str, found: list[Entry]) -> str:
    """The generated block for the settings `found`, markers included; an `env` column
    when any entry is read from the environment."""
    env = any(e.env for e in found)
    head = ("| setting | env | default | meaning |\n|---|---|---|---|" if env
            else "| setting | default | meaning |\n|---|---|---|")
    rows = [f"| `{e.name}` | " + (f"`{e.env}` | " if env else "")
            + f"{_value(e.value)} | {e.help.replace('|', '/')} |" for e in found]
    return "\n".join([f"<!-- settings:{name}:start -->", head, *rows,
                      f"<!-- settings:{name}:end -->"])


def tables_in(text: str) -> dict[str, str]:
    """The generated blocks of a docs text, by settings name."""
    return {m.group("name"): m.group(0) for m in MARKER.finditer(text)}
