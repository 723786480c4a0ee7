"""`POST /api/plans` with `property_ids`: a plan of exactly the ticked rows, in rank order."""

from __future__ import annotations

from pathlib import Path

from svc_helpers import build_service

BASE = {"teams": 1, "days": 2, "visits_per_day": 2, "start": "2026-12-07"}


def test_plan_of_ticked_properties(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    # P4 and P6 are low in the ranking: a top-of-ranking plan of 3 visits would skip them
    res = client.post("/api/plans", headers=h["analyst"],
                      json={**BASE, "property_ids": ["P6", "P4", "P1", "P4"]})
    assert res.status_code == 201, res.text
    visits = res.json()["visits"]
    assert sorted(v["property_id"] for v in visits) == ["P1", "P4", "P6"]
    assert all(v["district"] for v in visits)  # place data comes with the stops
    # every property of the tiny run is now in an open plan: a top plan skips them all ...
    skipped = client.post("/api/plans", headers=h["analyst"],
                          json={**BASE, "visits_per_day": 1, "days": 3})
    assert skipped.status_code == 400 and "skipped" in skipped.json()["detail"]
    # ... unless asked to revisit
    top = client.post("/api/plans", headers=h["analyst"],
                      json={**BASE, "visits_per_day": 1, "days": 3, "revisit": True}).json()
    assert sorted(v["property_id"] for v in top["visits"]) != ["P1", "P4", "P6"]
    audit = client.get("/api/audit", headers=h["admin"]).json()
    made = [e for e in audit if e["target_type"] == "inspection_plan"]
    assert any(e["detail"].get("from") == "selection" for e in made)


def test_bad_selections_are_clear_errors(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    unknown = client.post("/api/plans", headers=h["analyst"],
                          json={**BASE, "property_ids": ["P1", "NOPE9"]})
    assert unknown.status_code == 400 and "NOPE9" in unknown.json()["detail"]
    empty = client.post("/api/plans", headers=h["analyst"], json={**BASE, "property_ids": []})
    assert empty.status_code == 400 and "at least one" in empty.json()["detail"]
    full = client.post("/api/plans", headers=h["analyst"], json={
        **BASE, "days": 1, "property_ids": ["P1", "P2", "P3"]})
    assert full.status_code == 400 and "holds 2 visits" in full.json()["detail"]
    refused = client.post("/api/plans", headers=h["auditor"],
                          json={**BASE, "property_ids": ["P1"]})
    assert refused.status_code == 403
