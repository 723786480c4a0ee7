"""The analysis -> network interface: the tables rank_people reads besides the contract's.

Declared in inputs.yaml (name, columns, who builds them); `require` checks a connection
holds them all before any step runs, so the network room never guesses around a missing
one (it used to fall back to surname equality or re-run the indicators itself).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import duckdb
import yaml

INPUTS_FILE = Path(__file__).with_name("inputs.yaml")


class MissingInput(LookupError):
    """A declared input table (or one of its columns) is absent; the message names it and
    the step that builds it."""


@dataclass(frozen=True)
class NetworkInput:
    """One table the network room reads: its columns and who builds it."""

    name: str
    columns: tuple[str, ...]
    built_by: str
    help: str


@cache
def network_inputs() -> tuple[NetworkInput, ...]:
    """The declared inputs, in the order of inputs.yaml."""
    raw = yaml.safe_load(INPUTS_FILE.read_text(encoding="utf-8"))
    return tuple(NetworkInput(name, tuple(spec["columns"]), spec["built_by"], spec["help"])
                 for name, spec in raw.items())


def input_names() -> tuple[str, ...]:
    """Names of the declared input tables."""
    return tuple(i.name for i in network_inputs())


def require(con: duckdb.DuckDBPyConnection) -> None:
    """Raise MissingInput unless `con` holds every declared table with its columns."""
    rows = con.execute("SELECT table_name, column_name FROM information_schema.columns "
                       "WHERE table_name IN (SELECT unnest($n))",
                       {"n": list(input_names())}).fetchall()
    present: dict[str, set[str]] = {}
    for table, column in rows:
        present.setdefault(table, set()).add(column)
    for spec in network_inputs():
        if spec.name not in present:
            raise MissingInput(f"the network room needs table {spec.name} "
                               f"(built by {spec.built_by}); it is absent")
        lacking = [c for c in spec.columns if c not in present[spec.name]]
        if lacking:
            raise MissingInput(f"table {spec.name} lacks column(s) {lacking} "
                               f"(built by {spec.built_by})")
