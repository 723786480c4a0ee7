"""Outcomes must name a real visit or a property of the run, once per visit, on a sane date.

API and CLI, on SQLite and PostgreSQL; a refused outcome writes nothing.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from svc_helpers import build_service

from zonewatch.cli import main

TOMORROW = date.today() + timedelta(days=1)


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"property_id": "NOPE"}, 404, "no property 'NOPE' in the run"),
        ({"visit_id": 9999}, 404, "no planned visit 9999"),
        ({"property_id": "P1", "inspected_on": "2030-01-01"}, 400, "is in the future"),
        ({"VISIT": 1, "inspected_on": "2026-11-20"}, 400, "before plan"),
        ({"property_id": "P1", "inspected_on": "2024-01-01"}, 400, "days before the run's as-of"),
        ({"property_id": "P1", "inspected_on": "2026-13-01"}, 422, "date"),
    ],
)
def test_api_refuses_bad_outcomes(
    store_url: str, tmp_path: Path, body: dict, status: int, detail: str
) -> None:
    client, h, plan = build_service(store_url, tmp_path)
    if body.pop("VISIT", None):
        body["visit_id"] = plan["visits"][0]["visit_id"]
    res = client.post("/api/outcomes", headers=h["analyst"],
                      json={"inspected_on": "2026-12-01", "outcome": "violation", **body})
    assert res.status_code == status, res.text
    assert detail in str(res.json()["detail"])
    assert client.get("/api/outcomes", headers=h["admin"]).json() == []


def test_api_one_outcome_per_visit_and_bounds_that_pass(store_url: str, tmp_path: Path) -> None:
    client, h, plan = build_service(store_url, tmp_path)
    visit = next(v for v in plan["visits"] if v["team"] == 1)["visit_id"]
    first = client.post("/api/outcomes", headers=h["inspector"], json={
        "visit_id": visit, "inspected_on": TOMORROW.isoformat(), "outcome": "no_violation"})
    assert first.status_code == 201, first.text  # today + the slack day is still accepted
    again = client.post("/api/outcomes", headers=h["analyst"], json={
        "visit_id": visit, "inspected_on": "2026-12-02", "outcome": "violation"})
    assert again.status_code == 409
    assert again.json()["detail"] == (
        f"visit {visit} already has an outcome ({first.json()['inspection_id']})")
    late = (TOMORROW + timedelta(days=1)).isoformat()
    future = client.post("/api/outcomes", headers=h["analyst"], json={
        "property_id": "P3", "inspected_on": late, "outcome": "violation"})
    assert future.status_code == 400 and f"latest {TOMORROW}" in future.json()["detail"]
    free = client.post("/api/outcomes", headers=h["analyst"], json={
        "property_id": "P6", "inspected_on": "2026-11-01", "outcome": "violation"})
    assert free.status_code == 201, free.text  # a run property without a visit is fine
    saved = client.get("/api/outcomes", headers=h["admin"]).json()
    assert [(o["visit_id"], o["property_id"]) for o in saved] == [(None, "P6"), (visit, "P1")]


def test_cli_refuses_bad_outcomes(store_url: str, tmp_path: Path) -> None:
    client, _h, plan = build_service(store_url, tmp_path)  # registers the served run
    run, cli, s = tmp_path / "run", CliRunner(), ["--store", store_url]
    visit = str(plan["visits"][0]["visit_id"])

    def record(*args: str) -> tuple[int, str]:
        res = cli.invoke(main, ["outcome", "record", "--outcome", "violation", *args, *s])
        return res.exit_code, res.output

    assert record("--property", "NOPE", "--on", "2026-12-01") == (
        1, "Error: property_id: no property 'NOPE' in the run\n")
    code, out = record("--property", "NOPE", "--on", "2026-12-01", "--run", str(run))
    assert code == 1 and "no property 'NOPE'" in out
    code, out = record("--property", "P1", "--on", "2030-01-01")
    assert code == 1 and "inspected_on: 2030-01-01 is in the future" in out
    code, out = record("--visit", visit, "--on", "2026-11-30")
    assert code == 1 and "before plan" in out and "(2026-12-01)" in out
    assert record("--visit", visit, "--on", "2026-12-01")[0] == 0
    code, out = record("--visit", visit, "--on", "2026-12-02")
    assert code == 1 and f"visit {visit} already has an outcome" in out
    assert record("--property", "P2", "--on", "2026-12-01")[0] == 0
    out = tmp_path / "ins.csv"
    assert cli.invoke(main, ["outcome", "export", "--out", str(out), *s]).exit_code == 0
    assert len(out.read_text().splitlines()) == 3  # header + the two accepted
    del client


def test_cli_needs_a_run_for_a_bare_property(store_url: str, tmp_path: Path) -> None:
    res = CliRunner().invoke(main, ["outcome", "record", "--property", "P1", "--on",
                                    "2026-12-01", "--outcome", "violation", "--store", store_url])
    assert res.exit_code == 1 and "give --run RUN_DIR" in res.output
