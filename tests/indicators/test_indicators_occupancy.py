"""Counts-only extracts (occupancy) and per-district norms with effective dates."""

from __future__ import annotations

import csv
from pathlib import Path

from golden_extract import evaluate, golden_city

from zonewatch.indicators.settings import indicator_settings


def _occupancy_extract(root: Path) -> Path:
    city = golden_city()
    ext = city.write(root, skip=("persons", "registrations", "relations", "service_events",
                                 "ownerships", "inspections"))
    with (ext / "occupancy.csv").open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["property_id", "as_of", "registered", "source"])
        for row in city.rows["properties"]:
            pid = row["property_id"]
            w.writerow([pid, "2025-01-01", 40 if pid == "NORMAL03" else 2, "old"])
            w.writerow([pid, "2026-11-01", 14 if pid == "RUBBER" else 3, "census"])
            w.writerow([pid, "2027-01-01", 99, "after as-of"])  # must be ignored
    return ext


def test_occupancy_only_runs_what_counts_can_feed(tmp_path):
    run, con = evaluate(_occupancy_extract(tmp_path / "ext"), tmp_path / "o.duckdb")
    try:
        assert {"norm_area", "peer_density", "commercial_registrations"} <= set(run.ran)
        for ind in ("unrelated_registrants", "registration_burst", "turnover"):
            assert run.skipped[ind].startswith("missing table"), run.skipped
        registered = dict(con.execute(
            "SELECT property_id, registered FROM zw_property_base").fetchall())
        assert registered["RUBBER"] == 14 and registered["NORMAL03"] == 3
        flagged = set(run.hits.loc[run.hits["indicator_id"] == "norm_area", "entity_id"])
        assert "RUBBER" in flagged and "DORM" not in flagged
        sentence = run.hits.loc[(run.hits["indicator_id"] == "norm_area")
                                & (run.hits["entity_id"] == "RUBBER"), "evidence"].iloc[0]
        assert "family ties unknown" in sentence
    finally:
        con.close()


def test_district_norm_and_effective_date(tmp_path):
    # a stricter norm in D1 that takes effect after the as-of date is not yet in force,
    # and the default norm is moved after the RUBBER registrations: nothing may fire
    settings = indicator_settings({"norms": [
        {"district": "*", "m2_per_person": 15, "effective_from": "2026-10-01"},
        {"district": "D1", "m2_per_person": 30, "effective_from": "2027-01-01"},
    ]})
    run, con = evaluate(golden_city().write(tmp_path / "a"), tmp_path / "a.duckdb", settings)
    norm_hits = set(run.hits.loc[run.hits["indicator_id"] == "norm_area", "entity_id"])
    con.close()
    # only the NORMAL00 owner joined RUBBER after 2026-10-01, so RUBBER still fires
    assert norm_hits == {"RUBBER"}
    settings = indicator_settings(
        {"norms": [{"district": "D1", "m2_per_person": 30, "effective_from": "2020-01-01"}]})
    run, con = evaluate(golden_city().write(tmp_path / "b"), tmp_path / "b.duckdb", settings)
    allowed = dict(con.execute("SELECT property_id, allowed FROM zw_property_base").fetchall())
    con.close()
    assert allowed["RUBBER"] == 1 and allowed["NORMAL00"] == 1  # floor(55 / 30)
    norm_hits = set(run.hits.loc[run.hits["indicator_id"] == "norm_area", "entity_id"])
    assert {"RUBBER", "FOREIGN"} <= norm_hits
    assert "COMMERCIAL" not in norm_hits and "BIGFAMILY" not in norm_hits
