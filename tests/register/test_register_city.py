"""The seeded Astana-norm measure's before/after evidence on a generated city (real analyze)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from click.testing import CliRunner

from zonewatch.cli import main
from zonewatch.register.evidence import live_evidence
from zonewatch.register.runs import register_run
from zonewatch.register.seed import seed_register
from zonewatch.store import Store

NORM_CODE, NORM_DATE = "REG-RUBBER-FLATS", "2026-08-01"


@pytest.fixture(scope="module")
def city_runs(small_city: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Two analyses of the small city: before and after the measure's effective date."""
    out = tmp_path_factory.mktemp("city_runs")
    runs = []
    for name, as_of in (("before", "2026-06-30"), ("after", "2026-11-01")):
        res = CliRunner().invoke(main, ["analyze", str(small_city / "extract"), "--out",
                                        str(out / name), "--as-of", as_of])
        assert res.exit_code == 0, res.output
        runs.append(out / name)
    return runs


def test_measure_before_after_on_generated_city(store_url: str, city_runs: list[Path]) -> None:
    store = Store(store_url)
    with store.session() as db:
        seed_register(db)
        for run in city_runs:
            register_run(db, run)
        ev = live_evidence(db, NORM_CODE)
    store.dispose()
    ids = [i["id"] for i in ev["indicators"]]
    assert "norm_area" in ids and "peer_density" in ids
    # flag totals per run, counted independently from each evidence.csv
    totals = []
    for run in city_runs:
        frame = pd.read_csv(run / "evidence.csv", dtype=str)
        frame = frame[frame["indicator_id"].isin(ids)]
        totals.append(int(frame.groupby("indicator_id")["entity_id"].nunique().sum()))
    assert [t["total"] for t in ev["trend"]] == totals
    assert totals[1] > 0
    norm = next(m for m in ev["measures"] if m["effective_on"] == NORM_DATE)
    assert norm["runs"]["runs_before"] == 1 and norm["runs"]["runs_after"] == 1
    assert norm["runs"]["mean_flags_before"] == totals[0]
    assert norm["runs"]["mean_flags_after"] == totals[1]
    regs = norm["registrations"]
    assert regs["available"]
    con = duckdb.connect(str(city_runs[1] / "zonewatch.duckdb"), read_only=True)
    n_after = con.execute(
        "SELECT count(*) FROM registrations WHERE start_date >= DATE '2026-08-01' "
        "AND start_date < DATE '2026-11-01'").fetchone()[0]
    con.close()
    days_after = 92
    assert regs["per_30_days_overall"]["after"] == round(30 * n_after / days_after, 3)
    assert ev["inspections"]["inspected"] == 0
