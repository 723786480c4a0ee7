"""Outcomes recorded through the API, exported, change the next analysis's calibration."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from zonewatch.cli import main
from zonewatch.service import Settings, create_api
from zonewatch.service.auth import create_user
from zonewatch.store import Store


def _analyze(extract: Path, out: Path, *extra: str) -> dict:
    res = CliRunner().invoke(main, ["analyze", str(extract), "--out", str(out), *extra])
    assert res.exit_code == 0, res.output
    return json.loads((out / "run.json").read_text())


@pytest.fixture(scope="module")
def first_run(small_city: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small city analysed without our outcomes."""
    out = tmp_path_factory.mktemp("calibration") / "run1"
    _analyze(small_city / "extract", out)
    return out


def test_recorded_outcomes_feed_calibration(
    small_city: Path, first_run: Path, store_url: str, tmp_path: Path
) -> None:
    extract = small_city / "extract"
    first = json.loads((first_run / "run.json").read_text())
    url = store_url
    store = Store(url)
    with store.session() as db:
        create_user(db, "ann", "long password", "analyst")
    store.dispose()
    client = TestClient(create_api(Settings(store_url=url, run_dir=first_run)))
    client.post("/api/auth/login", json={"username": "ann", "password": "long password"})
    # calibration reads outcomes dated before the run's as-of; the plan starts before them
    inspected_on = (date.fromisoformat(first["as_of"]) - timedelta(days=1)).isoformat()
    start = (date.fromisoformat(first["as_of"]) - timedelta(days=7)).isoformat()
    plan = client.post("/api/plans", json={"teams": 3, "days": 5, "visits_per_day": 4,
                                           "start": start})
    assert plan.status_code == 201, plan.text
    truth = pd.read_csv(small_city / "labels" / "property_labels.csv", dtype=str)
    fraud = set(truth.loc[truth["is_fraud"] == "true", "property_id"])
    visits = plan.json()["visits"]
    for v in visits:
        res = client.post("/api/outcomes", json={
            "visit_id": v["visit_id"], "inspected_on": inspected_on,
            "outcome": "violation" if v["property_id"] in fraud else "no_violation"})
        assert res.status_code == 201, res.text
    export = tmp_path / "inspections.csv"
    export.write_text(client.get("/api/outcomes/export").text)
    second = _analyze(extract, tmp_path / "run2", "--inspections", str(export))
    before, after = first["calibration"], second["calibration"]
    # calibration keeps the latest decided outcome per property; ours are the latest
    ours = {v["property_id"] for v in visits}
    assert before["outcomes"] < after["outcomes"] <= before["outcomes"] + len(ours)
    assert after["outcomes"] >= len(ours)
    assert len(ours & fraud) <= after["violations"] <= before["violations"] + len(ours & fraud)
    if min(after["violations"], after["no_violations"]) >= 5:
        assert "coefficients" in after  # enough outcomes now: the weights were fitted
    assert after != before
