"""`make demo` can be run twice on the same folder (users, register and plan again)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_demo_runs_twice(tmp_path: Path) -> None:
    wrapper = tmp_path / "zw"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} -c 'from zonewatch.cli import main; "
                       "main()' \"$@\"\n")
    wrapper.chmod(0o755)
    env = os.environ | {"ZW": str(wrapper), "PYTHONPATH": str(ROOT / "src")}
    for attempt in (1, 2):
        done = subprocess.run(["bash", str(ROOT / "scripts" / "demo.sh"),
                               str(tmp_path / "demo"), "2000"], env=env, capture_output=True,
                              text=True, timeout=600)
        assert done.returncode == 0, (attempt, done.stdout[-2000:], done.stderr[-2000:])
    assert "Logins:" in done.stdout
    users = subprocess.run([str(wrapper), "users", "list", "--store",
                            f"sqlite:///{tmp_path / 'demo' / 'store.sqlite'}"], env=env,
                           capture_output=True, text=True, check=True).stdout
    assert all(role in users for role in ("admin", "analyst", "inspector", "auditor"))
