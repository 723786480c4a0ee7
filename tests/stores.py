"""Throwaway stores for tests: a temporary SQLite file or a fresh PostgreSQL schema.

The `store_url` fixture (tests/conftest.py) and benchmarks/bench_load.py use
`fresh_store_url`, so each test starts empty and isolated on both databases.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import create_engine, text

DEFAULT_TEST_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ("sqlite", "postgresql")


def test_pg_url() -> str:
    """The PostgreSQL server for tests (env ZONEWATCH_TEST_PG_URL)."""
    return os.environ.get("ZONEWATCH_TEST_PG_URL", DEFAULT_TEST_PG_URL)


@contextmanager
def fresh_store_url(backend: str, workdir: Path | None = None) -> Iterator[str]:
    """Yield the URL of an empty store on `backend`; drop it afterwards."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory(dir=workdir) as tmp:
            yield f"sqlite:///{Path(tmp) / 'store.sqlite'}"
        return
    if backend != "postgresql":
        raise ValueError(f"unknown backend {backend!r}; expected one of {BACKENDS}")
    base = test_pg_url()
    schema = "zw_" + uuid.uuid4().hex[:12]
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
