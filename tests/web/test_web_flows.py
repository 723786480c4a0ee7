"""Flows across rooms: re-analysis, trends across runs, plans, inspectors, `zonewatch serve`."""

from __future__ import annotations

import csv
import os
import shutil
import time
from pathlib import Path

from click.testing import CliRunner
from fastapi.testclient import TestClient
from web_support import login, make_app

from zonewatch.register.runs import register_run
from zonewatch.rundir import SETTLE_SECONDS
from zonewatch.web.commands import serve


def test_pages_follow_a_re_analysis_of_the_same_folder(web_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(web_run, run)
    with TestClient(make_app(run, tmp_path)) as client:
        login(client, "ana")
        before = client.get("/inspection.json").json()["total"]
        ranked = run / "properties_ranked.csv"
        with ranked.open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        with ranked.open("w", newline="", encoding="utf-8") as fh:
            out = csv.DictWriter(fh, fieldnames=list(rows[0]))
            out.writeheader()
            out.writerows(rows[1:])  # the top property is gone in the new analysis
        # a finished re-analysis: the file is newer than the one served, and settled (the
        # service serves the previous version of a file younger than SETTLE_SECONDS)
        stamp = time.time() - SETTLE_SECONDS - 1
        os.utime(ranked, (stamp, stamp))
        after = client.get("/inspection.json").json()
        assert after["total"] == before - 1
        assert rows[0]["property_id"] not in {r["property_id"] for r in after["rows"]}


def test_overview_draws_trends_of_registered_runs(web_run: Path, tmp_path: Path) -> None:
    later = tmp_path / "later"
    shutil.copytree(web_run, later)
    (later / "run.json").write_text('{"as_of": "2026-12-01"}', encoding="utf-8")
    app = make_app(web_run, tmp_path)
    with app.state.zonewatch.store.session() as session:
        register_run(session, web_run)
        register_run(session, later)
    with TestClient(app) as client:
        login(client, "ana")
        data = client.get("/overview.json").json()
        assert [t["as_of"] for t in data["trends"]] == ["2026-11-01", "2026-12-01"]
        assert data["trends"][0]["flag_counts"]["overcrowding"] > 0
        assert "<polyline" in client.get("/overview").text


def test_plan_from_selection_reports_bad_requests(analyst: TestClient) -> None:
    body = {"property_ids": ["P036", "P018", "P009"], "teams": 1, "days": 1,
            "visits_per_day": 2, "start_on": "2026-12-01"}
    too_small = analyst.post("/plans/selection", json=body)
    assert too_small.status_code == 400
    assert "3 properties selected but the plan holds 2 visits" in too_small.json()["detail"]
    unknown = analyst.post("/plans/selection", json=body | {"property_ids": ["P036", "ZZZ"]})
    assert unknown.status_code == 400 and "ZZZ" in unknown.json()["detail"]
    made = analyst.post("/plans/selection", json=body | {"visits_per_day": 3})
    assert made.status_code == 201
    plan = analyst.get(f"/plans/{made.json()['id']}.json").json()
    assert sorted(v["property_id"] for v in plan["visits"]) == sorted(body["property_ids"])
    assert plan["addresses"]["P036"].startswith("ALM street 36")
    assert {v["property_id"]: v["address"] for v in plan["visits"]}["P036"] == \
        plan["addresses"]["P036"]


def test_inspector_works_only_on_own_visits(web_app, analyst: TestClient) -> None:
    body = {"property_ids": ["P027", "P045"], "teams": 2, "days": 1, "visits_per_day": 1,
            "start_on": "2026-12-02"}
    plan_id = analyst.post("/plans/selection", json=body).json()["id"]
    assigned = analyst.post(f"/api/plans/{plan_id}/assign", json={"team": 1, "username": "insp"})
    assert assigned.status_code == 200, assigned.text
    with TestClient(web_app) as inspector:
        login(inspector, "insp")
        plan = inspector.get(f"/plans/{plan_id}.json").json()
        assert [v["team"] for v in plan["visits"]] == [1]
        mine = plan["visits"][0]
        other = ({"P027", "P045"} - {mine["property_id"]}).pop()
        page = inspector.get(f"/property/{mine['property_id']}.json?visit={mine['visit_id']}")
        assert page.status_code == 200 and page.json()["masked"] is False
        assert [v["visit_id"] for v in page.json()["record_visits"]] == [mine["visit_id"]]
        assert inspector.get(f"/property/{other}.json").status_code == 403
        recorded = inspector.post("/api/outcomes", json={
            "visit_id": mine["visit_id"], "inspected_on": "2026-12-02", "outcome": "no_access"})
        assert recorded.status_code == 201, recorded.text
        history = inspector.get(f"/property/{mine['property_id']}.json").json()["inspections"]
        assert [h["outcome"] for h in history] == ["no_access"]


def test_serve_explains_a_bad_run_folder(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(serve, ["--run", str(tmp_path / "nope"),
                                    "--store", f"sqlite:///{tmp_path / 's.sqlite'}"])
    assert missing.exit_code != 0 and "is not a directory" in missing.output
    empty = runner.invoke(serve, ["--run", str(tmp_path),
                                  "--store", f"sqlite:///{tmp_path / 's.sqlite'}"])
    assert empty.exit_code != 0 and "properties_ranked.csv is missing" in empty.output


def test_register_entry_as_it_was(analyst: TestClient) -> None:
    code = "REG-FOREIGN-NATIONALS"
    before = analyst.get(f"/register/{code}.json").json()["entry"]
    changed = analyst.patch(f"/api/register/{code}", json={
        "changes": {"title": "Foreign nationals registered en masse"}, "reason": "retitled",
        "expected_version": before["version"]})
    assert changed.status_code == 200, changed.text
    now = analyst.get(f"/register/{code}.json").json()
    assert now["entry"]["title"] == "Foreign nationals registered en masse" and now["can_edit"]
    old = analyst.get(f"/register/{code}.json?version={before['version']}").json()
    assert old["entry"]["title"] == before["title"]
    assert old["latest_version"] == before["version"] + 1 and not old["can_edit"]
    assert "the latest is" in analyst.get(f"/register/{code}?version={before['version']}").text
    assert analyst.get(f"/register/{code}.json?version=x").status_code == 400
    assert analyst.get(f"/register/{code}.json?version=99").status_code == 404


def test_register_page_links_its_exports(analyst: TestClient) -> None:
    page = analyst.get("/register").text
    for link in ("/api/register/export?public=true&amp;format=yaml",
                 "/api/register/export?format=json"):
        assert link in page
        response = analyst.get(link.replace("&amp;", "&"))
        assert response.status_code == 200 and "REG-RUBBER-FLATS" in response.text


def test_a_half_written_run_keeps_the_loaded_one(web_run: Path, tmp_path: Path) -> None:
    run = tmp_path / "run"
    shutil.copytree(web_run, run)
    with TestClient(make_app(run, tmp_path)) as client:
        login(client, "ana")
        before = client.get("/inspection.json").json()["total"]
        ranked = run / "properties_ranked.csv"
        ranked.write_text("rank,property_id\n", encoding="utf-8")  # analyze is rewriting it
        stamp = ranked.stat().st_mtime + 5
        os.utime(ranked, (stamp, stamp))
        assert client.get("/inspection.json").json()["total"] == before
        lines = (web_run / "properties_ranked.csv").read_text(encoding="utf-8").splitlines()
        ranked.write_text("\n".join(lines[:1] + lines[2:]) + "\n", encoding="utf-8")
        done = time.time() - SETTLE_SECONDS - 1  # the analysis finished: one row fewer
        os.utime(ranked, (done, done))
        assert client.get("/inspection.json").json()["total"] == before - 1
