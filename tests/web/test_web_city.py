"""Every page on a real analysis (generated small city + `zonewatch analyze`)."""

from __future__ import annotations

import csv
import re
from pathlib import Path

from fastapi.testclient import TestClient
from web_support import PASSWORD, embedded


def first(path: Path, column: str) -> str:
    with path.open(encoding="utf-8") as fh:
        return next(csv.DictReader(fh))[column]


def test_every_page_of_a_real_run(city_app, city_run: Path) -> None:
    pages = ["/overview", "/inspection", "/networks", "/register", "/plans",
             f"/property/{first(city_run / 'properties_ranked.csv', 'property_id')}",
             f"/owner/{first(city_run / 'owners_ranked.csv', 'owner_id')}",
             f"/official/{first(city_run / 'officials_ranked.csv', 'official_id')}",
             f"/office/{first(city_run / 'offices_ranked.csv', 'office_id')}",
             f"/network/{first(city_run / 'networks.csv', 'network_id')}"]
    with TestClient(city_app) as client:
        client.post("/login", data={"username": "ana", "password": PASSWORD})
        for path in pages:
            page = client.get(path)
            assert page.status_code == 200, (path, page.text[:300])
            assert embedded(page.text) == client.get(f"{path}.json").json(), path
        overview = client.get("/overview.json").json()
        assert overview["counts"]["properties"]["flagged"] > 0
        assert overview["hexmap"]["hexes"], "the generated city has coordinates"
        top = client.get(pages[5] + ".json").json()
        assert top["timeline"] and top["evidence"]


def test_official_monthly_approvals_add_up(city_app, city_run: Path) -> None:
    official = first(city_run / "officials_ranked.csv", "official_id")
    with TestClient(city_app) as client:
        client.post("/login", data={"username": "ana", "password": PASSWORD})
        data = client.get(f"/official/{official}.json").json()
    own_total = next(p["approvals"] for p in data["peers"] if p["is_self"])
    months = [m["month"] for m in data["monthly"]]
    assert months == sorted(months) and len(months) <= 25
    assert 0 < sum(m["own"] for m in data["monthly"]) <= own_total


def test_auditor_pages_name_no_person(city_app, city_run: Path, small_city: Path) -> None:
    with (small_city / "extract" / "persons.csv").open(encoding="utf-8") as fh:
        persons = {r["person_id"] for r in csv.DictReader(fh)}
    top_owner = first(city_run / "owners_ranked.csv", "owner_id")
    assert top_owner in persons  # the analysis explains owners by their person ids
    with TestClient(city_app) as auditor, TestClient(city_app) as analyst:
        auditor.post("/login", data={"username": "aud", "password": PASSWORD})
        analyst.post("/login", data={"username": "ana", "password": PASSWORD})
        assert top_owner in analyst.get("/owners.json").text
        shown = auditor.get("/owners.json").json()["items"][0]["owner_id"]
        assert shown.startswith("ps_")
        paths = ["/owners", "/networks", f"/owner/{shown}",
                 f"/network/{first(city_run / 'networks.csv', 'network_id')}",
                 f"/property/{first(city_run / 'properties_ranked.csv', 'property_id')}"]
        for path in paths:
            for url in (path, f"{path}.json"):
                text = auditor.get(url).text
                leaked = {t for t in re.findall(r"[\w-]+", text) if t in persons}
                assert not leaked, (url, sorted(leaked)[:5])


def test_indicators_page_counts_the_run_s_hits(city_app, city_run: Path) -> None:
    with (city_run / "evidence.csv").open(encoding="utf-8") as fh:
        evidence = list(csv.DictReader(fh))
    expected: dict[str, set[str]] = {}
    for row in evidence:
        expected.setdefault(row["indicator_id"], set()).add(row["entity_id"])
    with TestClient(city_app) as client:
        client.post("/login", data={"username": "ana", "password": PASSWORD})
        data = client.get("/indicators.json").json()
        page = client.get("/indicators").text
    shown = {i["id"]: i for i in data["indicators"]}
    assert {k: len(v) for k, v in expected.items()} == {
        k: shown[k]["entities_flagged"] for k in expected}
    described = [i for i in data["indicators"] if i["description"]]
    assert described and all(f'id="ind-{i["id"]}"' in page for i in described)


def test_network_graph_edges_match_the_extract(city_app, city_run: Path) -> None:
    import duckdb

    with (city_run / "networks.csv").open(encoding="utf-8") as fh:
        networks = list(csv.DictReader(fh))[:5]
    con = duckdb.connect(str(city_run / "zonewatch.duckdb"), read_only=True)
    with TestClient(city_app) as client:
        client.post("/login", data={"username": "ana", "password": PASSWORD})
        for net in networks:
            members = net["members"].split(";")
            family = con.execute(
                "SELECT count(*) FROM relations WHERE list_contains($1, person_id) AND "
                "list_contains($1, relative_id)", [members]).fetchone()[0]
            owns = con.execute(
                "SELECT count(DISTINCT (owner_id, property_id)) FROM ownerships WHERE "
                "list_contains($1, owner_id) AND list_contains($1, property_id)",
                [members]).fetchone()[0]
            graph = client.get(f"/network/{net['network_id']}.json").json()
            labels = [e["label"] for e in graph["edges"]]
            assert labels.count("family") == family and labels.count("owns") == owns
            assert {n["id"] for n in graph["nodes"]} == set(members)
    con.close()
