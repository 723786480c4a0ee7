"""The analysis run directory's files, columns and types, loaded from run_files.yaml.

One declaration for the writers (the analysis and the rooms it calls) and the one reader
(`zonewatch.rundir.RunDir`), so that a column is named and typed in a single place.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

SQL_TYPES = {"string": "VARCHAR", "integer": "BIGINT", "number": "DOUBLE"}


@dataclass(frozen=True)
class RunFile:
    """One file of a run directory."""

    name: str
    format: str
    meaning: str
    columns: dict[str, str]  # column -> type, in the order written
    required: tuple[str, ...] = ()
    kind: str | None = None  # the ranked list it holds (properties, owners, ...)
    id: str | None = None
    table: str | None = None  # the reader's DuckDB table

    @property
    def column_names(self) -> list[str]:
        """The columns in the order the writers write them."""
        return list(self.columns)

    def sql_type(self, column: str) -> str:
        """The DuckDB type of a declared column (VARCHAR for undeclared extras)."""
        return SQL_TYPES[self.columns.get(column, "string")]


@cache
def run_files() -> dict[str, RunFile]:
    """Every declared file by name."""
    text = resources.files("zonewatch.contract").joinpath("run_files.yaml").read_text("utf-8")
    files = {}
    for name, spec in yaml.safe_load(text)["files"].items():
        columns = dict(spec.get("columns") or {})
        unknown = sorted({t for t in columns.values()} - set(SQL_TYPES))
        if unknown:
            raise ValueError(f"run_files.yaml: {name} uses unknown type(s) {unknown}")
        files[name] = RunFile(name=name, format=spec["format"], meaning=spec["meaning"],
                              columns=columns, required=tuple(spec.get("required", ())),
                              kind=spec.get("kind"), id=spec.get("id"), table=spec.get("table"))
    return files


def columns(name: str) -> list[str]:
    """The declared columns of file `name`, in the order written."""
    return run_files()[name].column_names


def ranked_lists() -> dict[str, RunFile]:
    """The ranked files by list name (properties, owners, officials, offices, networks)."""
    return {f.kind: f for f in run_files().values() if f.kind}


def loaded_files() -> list[RunFile]:
    """The CSV files the reader loads into DuckDB tables."""
    return [f for f in run_files().values() if f.table]
