"""Downloads through the app: the roles that may, masking, audit, and no silent row cap."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import geojson
import pandas as pd
from fastapi.testclient import TestClient
from followthemoney import model
from openpyxl import load_workbook
from pypdf import PdfReader
from web_support import PASSWORD

import zonewatch.web.routes.lists as lists
from zonewatch.inspections.access import is_assigned
from zonewatch.inspections.planner import Capacity, build_plan


def client_for(app, username: str) -> TestClient:
    client = TestClient(app)
    client.post("/login", data={"username": username, "password": PASSWORD})
    return client


def test_geojson_and_open_data_downloads(city_app) -> None:
    client = client_for(city_app, "aud")
    for name in ("flagged", "districts"):
        response = client.get(f"/api/export/{name}.geojson")
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("application/geo+json")
        assert geojson.loads(response.text).is_valid
    assert client.get("/api/export/opendata.zip").content.startswith(b"PK")
    page = client.get("/downloads")
    assert page.status_code == 200 and "/api/export/entities.ftm.json" in page.text
    assert client_for(city_app, "insp").get("/api/export/flagged.geojson").status_code == 403


def test_ftm_download_is_masked_for_auditors_and_audited(city_app, city_run: Path) -> None:
    clear = client_for(city_app, "ana").get("/api/export/entities.ftm.json").text
    masked = client_for(city_app, "aud").get("/api/export/entities.ftm.json").text
    for text in (clear, masked):
        for line in text.splitlines():
            model.get_proxy(json.loads(line))
    persons = pd.read_csv(Path(city_run).parent / "extract" / "persons.csv", dtype=str)
    iins = [i for i in persons["iin"].dropna() if i in clear]
    assert iins, "analysts get the IINs of the registrants"
    assert not [i for i in iins if i in masked]
    assert clear.count("\n") == masked.count("\n")
    events = client_for(city_app, "root").get("/api/audit",
                                              params={"target_type": "ftm"}).json()
    events = events.get("events", events) if isinstance(events, dict) else events
    assert {e["username"] for e in events} >= {"ana", "aud"}


def test_dossier_pdf_follows_the_property_rules(city_app, city_run: Path) -> None:
    with city_app.state.zonewatch.store.session() as session:  # one no plan gave insp
        top = next(p for p in pd.read_csv(city_run / "properties_ranked.csv", dtype=str)[
            "property_id"] if not is_assigned(session, "insp", p))
    response = client_for(city_app, "ana").get(f"/api/export/properties/{top}.pdf",
                                               params={"lang": "ru"})
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert top in text and "Досье объекта" in text
    assert client_for(city_app, "insp").get(f"/api/export/properties/{top}.pdf"
                                            ).status_code == 403
    page = client_for(city_app, "ana").get(f"/property/{top}?lang=ru")
    assert f"/api/export/properties/{top}.pdf?lang=ru" in page.text


def test_field_sheets_for_the_inspector_of_the_team(city_app, city_run: Path) -> None:
    with city_app.state.zonewatch.store.session() as session:
        plan = build_plan(session, city_run, Capacity(2, 1, 2), date(2026, 12, 8), "ana",
                          inspectors={1: ["insp"]})
    own = [v for v in plan["visits"] if v["team"] == 1]
    other = [v for v in plan["visits"] if v["team"] == 2]
    response = client_for(city_app, "insp").get(f"/api/export/plans/{plan['plan_id']}.pdf",
                                                params={"lang": "kk"})
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert len(reader.pages) == 1 and "Далалық парақ" in text
    assert all(v["property_id"] in text for v in own)
    assert not any(v["property_id"] in text for v in other)
    full = client_for(city_app, "ana").get(f"/api/export/plans/{plan['plan_id']}.pdf")
    assert len(PdfReader(io.BytesIO(full.content)).pages) == 2


def test_csv_and_xlsx_export_every_row(city_app, city_run: Path, monkeypatch) -> None:
    monkeypatch.setattr(lists, "MAX_LIMIT", 100)  # page through the list in small pages
    ranked = pd.read_csv(city_run / "properties_ranked.csv", dtype={"property_id": str})
    assert len(ranked) > 300
    client = client_for(city_app, "ana")
    response = client.get("/inspection.csv", params={"all": "1"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert int(response.headers["x-total-rows"]) == len(rows) == len(ranked)
    assert [r["property_id"] for r in rows] == list(ranked["property_id"])
    limited = client.get("/inspection.csv", params={"all": "1", "limit": "250"})
    assert limited.content.decode("utf-8-sig").count("\n") == 251
    book = client.get("/inspection.xlsx", params={"all": "1"})
    sheet = load_workbook(io.BytesIO(book.content)).active
    assert sheet.max_row == len(ranked) + 1
    assert [c.value for c in sheet[1]][:2] == ["rank", "property_id"]
