"""The pages that write (plans, outcomes, register edits) on SQLite and on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from web_support import embedded, login, make_app


def test_writing_pages_on_each_store(web_run: Path, tmp_path: Path, store_url: str) -> None:
    app = make_app(web_run, tmp_path, store_url)
    with TestClient(app) as client:
        login(client, "ana")
        made = client.post("/plans/selection", json={
            "property_ids": ["P036", "P018"], "teams": 1, "days": 1, "visits_per_day": 2,
            "start_on": "2026-12-01"})
        assert made.status_code == 201, made.text
        plan = client.get(f"/plans/{made.json()['id']}.json").json()
        visit = next(v for v in plan["visits"] if v["property_id"] == "P036")
        recorded = client.post("/api/outcomes", json={
            "visit_id": visit["visit_id"], "inspected_on": "2026-12-01", "outcome": "violation",
            "fictitious_count": 20, "brokering": True})
        assert recorded.status_code == 201, recorded.text
        prop = client.get("/property/P036.json").json()
        assert [(i["outcome"], i["fictitious_count"]) for i in prop["inspections"]] == [
            ("violation", 20)]
        assert [v["visit_id"] for v in prop["record_visits"]] == [visit["visit_id"]]
        entry = client.get("/register/REG-RUBBER-FLATS.json").json()["entry"]
        edited = client.patch("/api/register/REG-RUBBER-FLATS", json={
            "changes": {"status": "monitored"}, "reason": "store test",
            "expected_version": entry["version"]})
        assert edited.status_code == 200, edited.text
        page = client.get("/register/REG-RUBBER-FLATS")
        data = embedded(page.text)
        assert data["entry"]["status"] == "monitored"
        assert data["history"][-1]["reason"] == "store test"
        assert client.get("/plans.json").json()["plans"][0]["plan_id"] == plan["plan_id"]
