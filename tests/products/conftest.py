"""Fixtures of the products room: the generated small city analysed once."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from zonewatch.rundir import RunDir, open_run


@pytest.fixture(scope="session")
def run_dir(small_city: Path) -> Path:
    """`zonewatch analyze` of the shared generated small city."""
    from zonewatch.analysis.pipeline import analyze

    out = small_city / "products_run"
    if not (out / "properties_ranked.csv").is_file():
        analyze(small_city / "extract", out)
    return out


@pytest.fixture(scope="session")
def run(run_dir: Path) -> RunDir:
    """The analysed run, opened as the service opens it."""
    return open_run(run_dir)


@pytest.fixture(scope="session")
def extract(run: RunDir):  # noqa: ANN201
    """A reader of the ingested tables (what passed the contract), all columns as text."""
    def read(name: str) -> pd.DataFrame:
        frame = run.frame(f"SELECT * FROM {name}")
        return frame.astype(object).where(frame.notna(), None).astype(
            {c: str for c in frame.columns if c not in ("lat", "lon", "iin", "end_date")})

    return read


@pytest.fixture(scope="session")
def ranked(run_dir: Path) -> pd.DataFrame:
    """properties_ranked.csv with a `flagged` column."""
    frame = pd.read_csv(run_dir / "properties_ranked.csv", dtype={"property_id": str})
    return frame.assign(flagged=frame["indicators"].fillna("") != "")
