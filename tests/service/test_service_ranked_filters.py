"""`ranked_page` filters properties by kind and district, keeps flagged rows, and returns
place columns; `office_detail` reads one office: checked against the run's own files."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
from svc_helpers import build_service


def _places(run: Path) -> dict[str, tuple]:
    con = duckdb.connect(str(run / "zonewatch.duckdb"), read_only=True)
    rows = con.execute("SELECT property_id, district, kind, address FROM properties").fetchall()
    con.close()
    return {r[0]: r[1:] for r in rows}


def test_property_filters_and_place_columns(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    places = _places(tmp_path / "run")
    with (tmp_path / "run" / "properties_ranked.csv").open(encoding="utf-8") as fh:
        ranked = list(csv.DictReader(fh))
    items = client.get("/api/properties?per_page=500", headers=h["analyst"]).json()["items"]
    assert [i["property_id"] for i in items] == [r["property_id"] for r in ranked]
    for item in items:
        assert (item["district"], item["kind"], item["address"]) == places[item["property_id"]]
    flagged = client.get("/api/properties?flagged_only=true", headers=h["analyst"]).json()
    assert [i["property_id"] for i in flagged["items"]] == [
        r["property_id"] for r in ranked if r["indicators"]]
    kind = places["P1"][1]
    by_kind = client.get(f"/api/properties?property_kind={kind}", headers=h["analyst"]).json()
    assert {i["property_id"] for i in by_kind["items"]} == {
        p for p, (_, k, _) in places.items() if k == kind and p in {r["property_id"]
                                                                   for r in ranked}}
    district = places["P1"][0]
    both = client.get(f"/api/properties?district={district}&property_kind={kind}"
                      "&flagged_only=true&sort=district", headers=h["analyst"]).json()
    assert both["items"] and all(i["district"] == district and i["kind"] == kind
                                 and i["indicators"] for i in both["items"])
    wrong = client.get("/api/owners?property_kind=flat", headers=h["analyst"])
    assert wrong.status_code == 400 and "properties only" in wrong.json()["detail"]


def test_office_detail(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    office = client.get("/api/offices/OF1", headers=h["auditor"])
    assert office.status_code == 200, office.text
    data = office.json()
    assert data["ranked"]["office_id"] == "OF1"
    assert [o["official_id"] for o in data["officials"]] == ["F1", "F2"]
    missing = client.get("/api/offices/NOPE", headers=h["auditor"])
    assert missing.status_code == 404 and str(tmp_path) not in missing.text
