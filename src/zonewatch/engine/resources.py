"""DuckDB connections sized to the machine: memory limit, spill directory, threads.

A large extract must spill to disk instead of failing, and must leave room for the
pandas and network work beside DuckDB. The limit is, in order: the `memory_limit`
argument (the commands' `--memory-limit`), the environment variable
ZONEWATCH_MEMORY_LIMIT, else MEMORY_SHARE of the memory this process may use (the
machine's RAM, or a smaller cgroup limit). Values are DuckDB sizes: "8GB", "500MB", "60%".
Spill files go to `<database>.spill/` beside the database file and are removed on close.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import duckdb

ENV_MEMORY = "ZONEWATCH_MEMORY_LIMIT"
MEMORY_SHARE = 0.6
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(%|[KMGT]i?B|B)?\s*$", re.IGNORECASE)
_CGROUP_FILES = ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes")


def machine_memory() -> int:
    """Bytes of memory this process may use: physical RAM, or a smaller cgroup limit."""
    total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    for name in _CGROUP_FILES:
        try:
            text = Path(name).read_text().strip()
        except OSError:
            continue
        if text.isdigit() and 0 < int(text) < total:
            total = int(text)
    return total


def cores() -> int:
    """CPU cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def memory_limit(value: str | None = None) -> str:
    """The DuckDB memory limit to use, as a size string DuckDB accepts.

    Raises:
        ValueError: when the given or environment value is not a size ("8GB", "60%").
    """
    given = value or os.environ.get(ENV_MEMORY) or ""
    if not given.strip():
        return f"{int(machine_memory() * MEMORY_SHARE) // 2**20}MB"
    match = _SIZE.match(given)
    if not match:
        raise ValueError(f"memory limit {given!r} is not a size such as 8GB, 500MB or 60%")
    number, unit = float(match.group(1)), (match.group(2) or "B").upper()
    if unit == "%":
        if not 0 < number <= 100:
            raise ValueError(f"memory limit {given!r}: a share must lie in (0, 100]%")
        return f"{int(machine_memory() * number / 100) // 2**20}MB"
    return f"{match.group(1)}{unit}"


def spill_dir(db_path: str | Path | None) -> Path | None:
    """Where DuckDB spills for a database file (None in memory: DuckDB's default)."""
    if db_path is None or str(db_path) == ":memory:":
        return None
    path = Path(db_path)
    return path.with_name(path.name + ".spill")


def configure(con: duckdb.DuckDBPyConnection, db_path: str | Path | None = None,
              limit: str | None = None) -> duckdb.DuckDBPyConnection:
    """Apply memory limit, spill directory and threads to an open connection."""
    con.execute(f"SET memory_limit = '{memory_limit(limit)}'")
    con.execute(f"SET threads = {cores()}")
    con.execute("SET enable_progress_bar = false")  # zonewatch shows its own stages
    spill = spill_dir(db_path)
    if spill is not None:
        con.execute(f"SET temp_directory = '{str(spill).replace(chr(39), chr(39) * 2)}'")
    return con


def connect(
    db_path: str | Path | None = None, limit: str | None = None
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to `db_path` (in memory when None), configured by `configure`."""
    con = duckdb.connect(str(db_path) if db_path is not None else ":memory:")
    try:
        return configure(con, db_path, limit)
    except Exception:
        con.close()
        raise


def remove_spill(db_path: str | Path | None) -> None:
    """Delete the spill directory of `db_path` (after its connection closed)."""
    spill = spill_dir(db_path)
    if spill is not None:
        shutil.rmtree(spill, ignore_errors=True)
