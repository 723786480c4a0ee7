"""Fixtures of the network room: the tiny hand-made city of nw_city.py."""

from __future__ import annotations

import pytest
from nw_city import City, build_city


@pytest.fixture
def city() -> City:
    return build_city()
