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
