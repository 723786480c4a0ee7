"""The data contract loaded from tables.yaml into typed, frozen dataclasses.

Every room that needs to know a table's columns, keys or references asks this
module instead of hard-coding names, so the contract lives in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

CONTRACT_FILE = Path(__file__).with_name("tables.yaml")

TYPES = ("string", "date", "timestamp", "number", "integer", "boolean", "enum")
CHECKS = ("iin", "bin", "country")

# SQL type of each contract type in the ingested DuckDB database.
SQL_TYPES: dict[str, str] = {
    "string": "VARCHAR",
    "enum": "VARCHAR",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "number": "DOUBLE",
    "integer": "BIGINT",
    "boolean": "BOOLEAN",
}


@dataclass(frozen=True)
class Reference:
    """A column pointing at `table.column`, possibly chosen by a discriminator column."""

    targets: dict[str, str]  # discriminator value (or "" when fixed) -> "table.column"
    by: str | None = None  # discriminator column, e.g. owner_type

    def target_tables(self) -> set[str]:
        """The tables this reference may point into."""
        return {t.split(".")[0] for t in self.targets.values()}


@dataclass(frozen=True)
class Column:
    """One contract column: its type, nullability, range and meaning."""

    name: str
    type: str
    nullable: bool = False
    values: tuple[str, ...] = ()
    check: str | None = None
    min: float | None = None
    max: float | None = None
    min_exclusive: float | None = None
    may_be_future: bool = False
    reference: Reference | None = None
    meaning: str = ""

    @property
    def sql_type(self) -> str:
        """The DuckDB type of this column in the ingested database."""
        return SQL_TYPES[self.type]


@dataclass(frozen=True)
class AsOfSource:
    """A date/timestamp column that feeds the default as-of, optionally filtered."""

    column: str
    where_column: str | None = None
    where_value: str | None = None


@dataclass(frozen=True)
class Table:
    """One contract table in load order."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    row_key: tuple[str, ...] = ()
    order_rules: tuple[tuple[str, str], ...] = ()
    iin_agreement: bool = False
    as_of_sources: tuple[AsOfSource, ...] = ()
    meaning: str = ""

    def column(self, name: str) -> Column:
        """The column called `name` (KeyError if absent)."""
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        """Contract column names in declared order."""
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Contract:
    """All tables plus the rule saying which tables an extract must hold."""

    tables: dict[str, Table]
    always_required: tuple[str, ...]
    one_of: tuple[tuple[str, ...], ...] = field(default_factory=tuple)

    def missing_required(self, present: set[str]) -> str | None:
        """Explain what required tables are missing from `present`, or None if complete."""
        missing = [t for t in self.always_required if t not in present]
        if not any(all(t in present for t in group) for group in self.one_of):
            options = " or ".join("+".join(group) for group in self.one_of)
            missing.append(f"({options})")
        return ", ".join(missing) if missing else None


def _column(name: str, spec: dict) -> Column:
    ctype = spec["type"]
    if ctype not in TYPES:
        raise ValueError(f"column {name}: unknown type {ctype!r}")
    if spec.get("check") not in (None, *CHECKS):
        raise ValueError(f"column {name}: unknown check {spec['check']!r}")
    ref = None
    if "references" in spec:
        ref = Reference(targets={"": spec["references"]})
    elif "references_by" in spec:
        by = spec["references_by"]
        ref = Reference(targets=dict(by["targets"]), by=by["column"])
    return Column(
        name=name,
        type=ctype,
        nullable=bool(spec.get("nullable", False)),
        values=tuple(spec.get("values", ())),
        check=spec.get("check"),
        min=spec.get("min"),
        max=spec.get("max"),
        min_exclusive=spec.get("min_exclusive"),
        may_be_future=bool(spec.get("may_be_future", False)),
        reference=ref,
        meaning=spec.get("meaning", ""),
    )


def _as_of_source(text: str) -> AsOfSource:
    if " if " not in text:
        return AsOfSource(column=text)
    column, cond = text.split(" if ")
    where_column, where_value = cond.split("=")
    return AsOfSource(column.strip(), where_column.strip(), where_value.strip())


@lru_cache(maxsize=1)
def load_contract(path: Path = CONTRACT_FILE) -> Contract:
    """Load and check the contract YAML (cached)."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    tables: dict[str, Table] = {}
    for name, spec in data["tables"].items():
        tables[name] = Table(
            name=name,
            columns=tuple(_column(c, s) for c, s in spec["columns"].items()),
            key=tuple(spec.get("key", ())),
            row_key=tuple(spec.get("row_key", spec.get("key", ()))),
            order_rules=tuple(tuple(pair) for pair in spec.get("order_rules", ())),
            iin_agreement=bool(spec.get("iin_agreement", False)),
            as_of_sources=tuple(_as_of_source(s) for s in spec.get("as_of_sources", ())),
            meaning=spec.get("meaning", ""),
        )
    req = data["requirements"]
    return Contract(
        tables=tables,
        always_required=tuple(req["always"]),
        one_of=tuple(tuple(group) for group in req["one_of"]),
    )
