"""Dialect quirks in one place: translate DuckDB SQL for other engines with sqlglot."""

from __future__ import annotations

import sqlglot

SUPPORTED = ("duckdb", "spark")


def translate(sql: str, dialect: str) -> str:
    """Translate one DuckDB-dialect statement into `dialect`.

    Raises:
        NotImplementedError: for a dialect zonewatch does not support.
    """
    if dialect == "duckdb":
        return sql
    if dialect not in SUPPORTED:
        raise NotImplementedError(f"SQL dialect {dialect!r} is not supported; use {SUPPORTED}")
    statements = sqlglot.transpile(sql, read="duckdb", write=dialect)
    if len(statements) != 1:
        raise ValueError(f"expected one SQL statement, got {len(statements)}")
    return statements[0]
