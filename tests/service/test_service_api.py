"""Login (token and cookie), lists, register edits and clear 4xx errors through the real app."""

from __future__ import annotations

from pathlib import Path

from svc_helpers import PASSWORD, build_service


def test_login_token_cookie_and_logout(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    assert client.post("/api/auth/login", json={"username": "ann", "password": "nope"}
                       ).status_code == 401
    assert client.post("/api/auth/login", json={"username": "ann"}).status_code == 400
    res = client.post("/api/auth/login", data={"username": "ann", "password": PASSWORD})
    assert res.status_code == 200 and "zonewatch_session" in res.cookies
    assert client.get("/api/auth/me").json()["role"] == "analyst"  # by cookie alone
    token = res.json()["token"]
    client.post("/api/auth/logout")
    assert client.get("/api/auth/me").status_code == 401
    res = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert res.status_code == 401  # the token died with the session
    assert client.get("/api/auth/me", headers=h["auditor"]).json()["username"] == "aud"


def test_ranked_lists_page_filter_sort(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    get = lambda url: client.get(url, headers=h["analyst"])  # noqa: E731
    page = get("/api/properties?per_page=2&page=2").json()
    assert page["total"] == 6 and [i["rank"] for i in page["items"]] == [3, 4]
    by_area = get("/api/properties?sort=area_m2&order=desc&per_page=1").json()["items"]
    assert by_area[0]["property_id"] == "P6"
    assert [i["property_id"] for i in get("/api/properties?indicator=norm_area").json()[
        "items"]] == ["P1"]
    assert get("/api/properties?min_score=2.5").json()["total"] == 2
    d2 = get("/api/properties?district=D2").json()["items"]
    assert [i["property_id"] for i in d2] == ["P5", "P4", "P6"]  # rank order within D2
    assert get("/api/owners?district=D2").status_code == 400
    assert get("/api/networks").json()["items"][0]["network_id"] == "N1"
    bad = get("/api/properties?sort=colour")
    assert bad.status_code == 400 and "cannot sort properties by 'colour'" in bad.json()["detail"]
    assert get("/api/properties?per_page=0").status_code == 422
    assert get("/api/properties/NOPE").status_code == 404
    assert client.get("/openapi.json").json()["paths"]["/api/properties"]


def test_register_edit_conflict_and_rollback(store_url: str, tmp_path: Path) -> None:
    client, h, _plan = build_service(store_url, tmp_path)
    h = h["analyst"]
    url = "/api/register/REG-RUBBER-FLATS"
    v = client.get(url, headers=h).json()["version"]
    res = client.patch(url, headers=h, json={"changes": {"likelihood": 4}, "reason": "review",
                                             "expected_version": v})
    assert res.status_code == 200 and res.json()["version"] == v + 1
    stale = client.patch(url, headers=h, json={"changes": {"likelihood": 3}, "reason": "r",
                                               "expected_version": v})
    assert stale.status_code == 409
    bad = client.patch(url, headers=h, json={"changes": {"likelihood": 7}, "reason": "r"})
    assert bad.status_code == 400 and "likelihood" in bad.json()["detail"]
    assert client.patch(url, headers=h, json={"changes": {"impact": 2}}).status_code == 422
    hist = client.get(url + "/history", headers=h).json()
    assert [x["version"] for x in hist] == list(range(1, v + 2))
    assert hist[-1]["changed_by"] == "ann" and hist[-1]["reason"] == "review"
    assert client.get(url + "/versions/1", headers=h).json()["likelihood"] == 5
    new = client.post("/api/register", headers=h, json={"entry": {"code": "bad code"},
                                                         "reason": "r"})
    assert new.status_code == 400
    assert client.get("/api/register/NOPE", headers=h).status_code == 404


def test_outcome_through_api_is_exported(store_url: str, tmp_path: Path) -> None:
    client, h, plan = build_service(store_url, tmp_path)
    visit = next(v for v in plan["visits"] if v["team"] == 1)
    res = client.post("/api/outcomes", headers=h["inspector"], json={
        "visit_id": visit["visit_id"], "inspected_on": "2026-12-01", "outcome": "violation",
        "fictitious_count": 6, "persons_found": 2, "brokering": True})
    assert res.status_code == 201, res.text
    bad = client.post("/api/outcomes", headers=h["analyst"], json={
        "property_id": "P2", "inspected_on": "2026-12-01", "outcome": "maybe"})
    assert bad.status_code == 400 and "outcome: 'maybe'" in bad.json()["detail"]
    csv_text = client.get("/api/outcomes/export", headers=h["auditor"]).text
    lines = csv_text.strip().splitlines()
    assert len(lines) == 2
    assert lines[1].split(",")[1:7] == [visit["property_id"], "2026-12-01", "violation", "2",
                                        "6", "true"]
    detail = client.get(f"/api/properties/{visit['property_id']}", headers=h["analyst"]).json()
    assert detail["inspections"][0]["outcome"] == "violation"
    # the inspector's plan shows why each visit was chosen and what is done
    mine = client.get(f"/api/plans/{plan['plan_id']}", headers=h["inspector"]).json()["visits"]
    done = {v["property_id"]: v["outcome"] for v in mine}
    assert done[visit["property_id"]] == "violation"
    assert list(done.values()).count(None) == len(mine) - 1
    p1 = next(v for v in mine if v["property_id"] == "P1")
    assert p1["indicators"] == "norm_area;peer_density" and "30 m2" in p1["explanation"]
