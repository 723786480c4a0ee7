"""The role matrix: every endpoint x every role, allowed and refused, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from svc_helpers import build_service

A, N, INS, U = "admin", "analyst", "inspector", "auditor"
_seq = itertools.count()


def _entry() -> dict:
    return {"entry": {"code": f"REG-T{next(_seq)}", "title": "t", "summary": "s", "zone": "z",
                      "nature": "systemic", "likelihood": 2, "impact": 2,
                      "status": "identified"}, "reason": "test"}


# (method, path, body factory or None, roles allowed) -- the access policy of the brief
MATRIX = [
    ("GET", "/api/run", None, {A, N, INS, U}),
    ("GET", "/api/properties", None, {A, N, U}),
    ("GET", "/api/owners", None, {A, N, U}),
    ("GET", "/api/officials", None, {A, N, U}),
    ("GET", "/api/offices", None, {A, N, U}),
    ("GET", "/api/networks", None, {A, N, U}),
    ("GET", "/api/properties/P1", None, {A, N, U, INS}),  # P1 is on ivan's visits
    ("GET", "/api/properties/P5", None, {A, N, U}),  # P5 is not
    ("GET", "/api/owners/X1", None, {A, N, U}),
    ("GET", "/api/officials/F1", None, {A, N, U}),
    ("GET", "/api/networks/N1", None, {A, N, U}),
    ("GET", "/api/register", None, {A, N, U}),
    ("GET", "/api/register/REG-RUBBER-FLATS", None, {A, N, U}),
    ("GET", "/api/register/REG-RUBBER-FLATS/history", None, {A, N, U}),
    ("GET", "/api/register/REG-RUBBER-FLATS/versions/1", None, {A, N, U}),
    ("GET", "/api/register/REG-RUBBER-FLATS/evidence", None, {A, N, U}),
    ("GET", "/api/register/export?public=true", None, {A, N, U}),
    ("GET", "/api/register?overdue=true", None, {A, N, U}),
    ("GET", "/api/register/measures", None, {A, N, U}),
    ("POST", "/api/register", _entry, {A, N}),
    ("PATCH", "/api/register/REG-CLANS", lambda: {"changes": {"impact": 1 + next(_seq) % 5},
                                                  "reason": "r"}, {A, N}),
    ("GET", "/api/runs", None, {A, N, U}),
    ("POST", "/api/runs", "RUN", {A, N}),
    ("GET", "/api/plans", None, {A, N, U, INS}),
    ("POST", "/api/plans", lambda: {"teams": 1, "days": 1, "visits_per_day": 2,
                                    "start": "2026-12-02", "revisit": True}, {A, N}),
    ("GET", "/api/plans/PLAN", None, {A, N, U, INS}),
    ("POST", "/api/plans/PLAN/assign", lambda: {"team": 2, "username": "x"}, {A, N}),
    ("GET", "/api/outcomes", None, {A, N, U, INS}),
    ("POST", "/api/outcomes", "OWN_VISIT", {A, N, INS}),
    ("POST", "/api/outcomes", "OTHER_VISIT", {A, N}),
    ("GET", "/api/outcomes/export", None, {A, N, U}),
    ("GET", "/api/users", None, {A, U}),
    ("POST", "/api/users", lambda: {"username": f"u{next(_seq)}", "password": "longenough",
                                    "role": "auditor"}, {A}),
    ("GET", "/api/audit", None, {A, U}),
    ("GET", "/api/public/register", None, {A, N, INS, U}),  # and anonymous: see below
    ("GET", "/api/public/summary", None, {A, N, INS, U}),
]
PUBLIC = ("/api/public/register", "/api/public/summary")


def test_role_matrix(store_url: str, tmp_path: Path) -> None:
    client, headers, plan = build_service(store_url, tmp_path)
    # a visit takes one outcome: a second plan gives each role a visit of its own to record
    more = client.post("/api/plans", headers=headers[N], json={
        "teams": 2, "days": 1, "visits_per_day": 2, "start": "2026-12-01", "revisit": True,
        "inspectors": {"1": ["ivan"], "2": ["other"]}}).json()
    visits = plan["visits"] + more["visits"]
    own = [v["visit_id"] for v in visits if v["team"] == 1]
    other = [v["visit_id"] for v in visits if v["team"] == 2]
    bodies = {
        "RUN": lambda: {"path": str(tmp_path / "run")},
        "OWN_VISIT": lambda: {"visit_id": own.pop(), "inspected_on": "2026-12-01",
                              "outcome": "no_access"},
        "OTHER_VISIT": lambda: {"visit_id": other.pop(), "inspected_on": "2026-12-01",
                                "outcome": "no_access"},
    }
    failures = []
    for method, path, body, allowed in MATRIX:
        path = path.replace("PLAN", str(plan["plan_id"]))
        for role in (A, N, INS, U):
            make = bodies.get(body, body) if isinstance(body, str) else body
            res = client.request(method, path, headers=headers[role],
                                 json=make() if make else None)
            ok = res.status_code < 400
            if ok != (role in allowed) or (not ok and res.status_code != 403):
                failures.append(f"{role} {method} {path}: {res.status_code} {res.text[:120]}")
    assert not failures, "\n".join(failures)
    # without a login every endpoint answers 401, except the public aggregates
    for method, path, _body, _allowed in MATRIX:
        res = client.request(method, path.replace("PLAN", str(plan["plan_id"])))
        expected = 200 if path in PUBLIC else 401
        assert res.status_code == expected, f"{method} {path}: {res.status_code}"


@pytest.mark.parametrize("role", [INS])
def test_inspector_sees_only_own_visits_and_outcomes(store_url: str, tmp_path: Path,
                                                     role: str) -> None:
    client, headers, plan = build_service(store_url, tmp_path)
    h = headers[role]
    mine = client.get(f"/api/plans/{plan['plan_id']}", headers=h).json()
    assert {v["team"] for v in mine["visits"]} == {1}
    assert [p["plan_id"] for p in client.get("/api/plans", headers=h).json()] == [
        plan["plan_id"]]
    other = next(v for v in plan["visits"] if v["team"] == 2)
    client.post("/api/outcomes", headers=headers[A], json={
        "visit_id": other["visit_id"], "inspected_on": "2026-12-01", "outcome": "violation"})
    assert client.get("/api/outcomes", headers=h).json() == []
    res = client.post("/api/outcomes", headers=h, json={
        "property_id": "P1", "inspected_on": "2026-12-01", "outcome": "violation"})
    assert res.status_code == 403 and "visit_id" in res.json()["detail"]
