"""Fixtures of the inspections room: a Store on the shared `store_url` (tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from zonewatch.store import Store


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A Store on that URL, disposed after the test."""
    s = Store(store_url)
    yield s
    s.dispose()
