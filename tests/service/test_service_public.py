"""Public figures: no ids, no persons, small cells suppressed, internal register parts hidden."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pandas as pd
from fastapi.testclient import TestClient
from tiny_run import make_tiny_run

from zonewatch.service import Settings, create_api
from zonewatch.service.public import MIN_CELL


def _bigger_run(tmp: Path) -> Path:
    """The tiny run with 40 more flagged flats in D1 so that some cells pass the threshold."""
    run = make_tiny_run(tmp / "run", as_of=date(2026, 11, 1))
    ranked = pd.read_csv(run / "properties_ranked.csv", dtype=str)
    extra = pd.DataFrame({"rank": range(7, 47), "property_id": [f"Q{i}" for i in range(40)],
                          "score": 1.0, "registered": 3, "area_m2": 40.0,
                          "indicators": "peer_density", "explanation": "x"})
    pd.concat([ranked, extra]).to_csv(run / "properties_ranked.csv", index=False)
    ev = pd.read_csv(run / "evidence.csv", dtype=str)
    more = pd.DataFrame({"entity_type": "property", "entity_id": extra["property_id"],
                         "indicator_id": "peer_density", "value": 1, "threshold": 0,
                         "score": 1.0, "evidence": "x"})
    pd.concat([ev, more]).to_csv(run / "evidence.csv", index=False)
    import duckdb

    con = duckdb.connect(str(run / "zonewatch.duckdb"))
    con.executemany("INSERT INTO properties (property_id, district) VALUES (?, 'D1')",
                    [[p] for p in extra["property_id"]])
    con.close()
    return run


def test_public_summary_is_aggregate_only(store_url: str, tmp_path: Path) -> None:
    run = _bigger_run(tmp_path)
    client = TestClient(create_api(Settings(store_url=store_url, run_dir=run)))
    res = client.get("/api/public/summary")
    assert res.status_code == 200
    body = res.json()
    text = json.dumps(body)
    assert not any(x in text for x in ("P1", "X1", "F1", "Family", "Q1"))  # no ids, no names
    d1, d2 = (next(d for d in body["districts"] if d["district"] == n) for n in ("D1", "D2"))
    assert d1 == {"district": "D1", "properties": 43, "flagged_properties": 42,
                  "people_registered_at_flagged": 8 + 1 + 120}
    assert d2 == {"district": "D2", "properties": None, "flagged_properties": None,
                  "people_registered_at_flagged": None}  # 3 properties, 1 flagged: hidden
    assert body["flagged_by_indicator"] == {"peer_density": 43, "norm_area": None}
    assert body["suppressed_below"] == MIN_CELL and body["as_of"] == "2026-11-01"


def test_public_register_hides_internal_parts(store_url: str, tmp_path: Path) -> None:
    client = TestClient(create_api(Settings(store_url=store_url)))
    entries = client.get("/api/public/register").json()
    consent = next(e for e in entries if e["code"] == "REG-CONSENT-BYPASS")
    assert "mechanism" not in consent and "internal_fields" not in consent
    assert client.get("/api/public/summary").status_code == 503  # no run served
