"""Shared pytest fixtures: each room adds its own in tests/<room>/conftest.py."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder beside the checkout (data contract, real data)."""
    if not SHARED.is_dir():
        pytest.skip(f"{SHARED} is absent: tests that read shared/ cannot run")
    return SHARED


@pytest.fixture(scope="session")
def small_city(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated city of ~4,000 persons (seed 7): DIR/extract/*.csv and DIR/labels/*."""
    from zonewatch.generate import generate_city

    out = tmp_path_factory.mktemp("small_city")
    generate_city(out, persons=4000, seed=7)
    return out
