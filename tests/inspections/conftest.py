"""Fixtures: an empty store on SQLite and on PostgreSQL (fresh schema per test)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from zonewatch.store import Store
from zonewatch.store.testing import fresh_store_url

# cheap argon2 parameters for the many test users (production keeps RFC 9106 defaults)
os.environ.setdefault("ZONEWATCH_PASSWORD_PROFILE", "cheapest")


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def store_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """The URL of an empty store; every test using it runs on both databases."""
    with fresh_store_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A Store on that URL, disposed after the test."""
    s = Store(store_url)
    yield s
    s.dispose()
