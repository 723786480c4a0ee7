"""Pages on a run whose extract lacks optional tables (no offices, relations, inspections)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from tiny_run import make_tiny_run
from web_support import embedded, login, make_app


def test_pages_work_without_optional_tables(tmp_path: Path) -> None:
    run = make_tiny_run(tmp_path / "run")
    with TestClient(make_app(run, tmp_path)) as client:
        login(client, "ana")
        for path in ("/overview", "/inspection", "/property/P1", "/owner/X1", "/official/F1",
                     "/office/OF1", "/network/N1", "/owners", "/networks"):
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[:300])
            assert embedded(page.text) == client.get(f"{path}.json").json(), path
        prop = client.get("/property/P1.json").json()
        assert len(prop["timeline"]) == prop["timeline_total"] == 8
        assert {r["relation"] for r in prop["timeline"]} == {"none"}  # no relations table
        assert prop["extract_inspections"] == []
        assert client.get("/office/OF1.json").json()["info"] is None  # no offices table


def test_pages_without_a_run_say_so(tmp_path: Path) -> None:
    from zonewatch.service.auth import create_user
    from zonewatch.service.settings import Settings
    from zonewatch.web.app import create_app

    app = create_app(Settings.from_env(store=f"sqlite:///{tmp_path / 's.sqlite'}"))
    with app.state.zonewatch.store.session() as session:
        create_user(session, "ana", "correct-horse-1", "analyst")
    with TestClient(app) as client:
        login(client, "ana")
        response = client.get("/overview.json")
        assert response.status_code == 503 and "no analysis run" in response.json()["detail"]
        assert client.get("/register.json").status_code == 200  # the store still works
