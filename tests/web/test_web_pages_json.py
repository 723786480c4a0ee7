"""Each page's `.json` is the data the page shows: one builder, two renderings."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from web_support import embedded

PAGES = ["/overview", "/inspection", "/inspection?district=ALM&sort=score&dir=desc",
         "/networks", "/owners", "/officials?sort=score&order=desc", "/offices",
         "/owners?q=OWN1&page=1&per_page=5", "/property/P036", "/owner/OWN13", "/official/U1",
         "/office/OF1", "/network/N1", "/indicators"]


def json_twin(path: str) -> str:
    base, _, query = path.partition("?")
    return f"{base}.json" + (f"?{query}" if query else "")


@pytest.mark.parametrize("path", PAGES)
def test_page_json_equals_page_data(analyst: TestClient, path: str) -> None:
    page = analyst.get(path)
    twin = analyst.get(json_twin(path))
    assert page.status_code == 200, page.text[:500]
    assert twin.status_code == 200, twin.text[:500]
    assert page.headers["content-type"].startswith("text/html")
    assert embedded(page.text) == twin.json()


def test_inspection_rows_are_the_ranked_csv_filtered(analyst: TestClient, web_run: Path) -> None:
    with (web_run / "properties_ranked.csv").open(encoding="utf-8") as fh:
        ranked = [r for r in csv.DictReader(fh) if r["indicators"]]
    data = analyst.get("/inspection.json?limit=1000").json()
    assert [r["property_id"] for r in data["rows"]] == [r["property_id"] for r in ranked]
    page = analyst.get("/inspection?limit=1000").text
    for row in ranked:
        assert f'data-property="{row["property_id"]}"' in page


def test_inspection_filters_and_sort(analyst: TestClient) -> None:
    data = analyst.get("/inspection.json?district=ESL&indicator=overcrowding&sort=score"
                       "&dir=desc").json()
    assert data["rows"], "the hand-made run has flagged properties in ESL"
    assert {r["district"] for r in data["rows"]} == {"ESL"}
    assert all("overcrowding" in r["indicators"] for r in data["rows"])
    scores = [r["score"] for r in data["rows"]]
    assert scores == sorted(scores, reverse=True)
    assert data["total"] == len(data["rows"])
    floor = analyst.get("/inspection.json?min_score=3&all=1").json()
    assert floor["rows"] and min(r["score"] for r in floor["rows"]) >= 3


@pytest.mark.parametrize("query,needle", [("sort=nope", "sort must be one of"),
                                          ("min_score=abc", "min_score must be a number"),
                                          ("limit=-1", "limit must not be negative")])
def test_bad_list_parameters_say_what_is_wrong(analyst: TestClient, query: str,
                                               needle: str) -> None:
    response = analyst.get(f"/inspection.json?{query}")
    assert response.status_code == 400
    assert needle in response.json()["detail"]


def test_unknown_entity_is_a_404_page_and_json(analyst: TestClient) -> None:
    assert analyst.get("/property/NOPE").status_code == 404
    response = analyst.get("/property/NOPE.json")
    assert response.status_code == 404 and "NOPE" in response.json()["detail"]


def test_exports_hold_the_filtered_list(analyst: TestClient) -> None:
    expected = analyst.get("/inspection.json?district=ALM&limit=5000").json()["rows"]
    text = analyst.get("/inspection.csv?district=ALM").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["property_id"] for r in rows] == [r["property_id"] for r in expected]
    assert rows[0]["indicators"] == ";".join(expected[0]["indicators"])
    book = load_workbook(io.BytesIO(analyst.get("/inspection.xlsx?district=ALM").content))
    sheet = book.active
    assert sheet["B1"].value == "property_id"
    assert [c.value for c in sheet["B"][1:]] == [r["property_id"] for r in expected]


def test_pages_need_login(web_app) -> None:
    with TestClient(web_app) as anonymous:
        response = anonymous.get("/inspection?district=ALM", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=/inspection")
        assert anonymous.get("/overview.json").status_code == 401
        assert anonymous.get("/inspection.csv").status_code == 401


def test_wrong_password_shows_the_form_again(web_app) -> None:
    with TestClient(web_app) as client:
        response = client.post("/login", data={"username": "ana", "password": "nope-nope"})
        assert response.status_code == 401
        assert "Wrong user name or password" in response.text


def test_login_never_redirects_off_site(web_app) -> None:
    with TestClient(web_app) as client:
        response = client.post("/login", data={"username": "ana", "password": "correct-horse-1",
                                               "next": "//evil.example/x"},
                               follow_redirects=False)
        assert response.headers["location"] == "/overview"


def test_ranked_pages_are_the_api_lists(analyst: TestClient) -> None:
    for kind in ("owners", "officials", "offices", "networks"):
        page = analyst.get(f"/{kind}.json?per_page=20").json()
        api = analyst.get(f"/api/{kind}?per_page=20").json()
        id_col = kind[:-1] + "_id"
        assert [r[id_col] for r in page["items"]] == [r[id_col] for r in api["items"]]
        assert page["total"] == api["total"]
    bad = analyst.get("/owners.json?per_page=x")
    assert bad.status_code == 400 and "per_page must be a whole number" in bad.json()["detail"]


def test_timeline_marks_the_owners_family(analyst: TestClient, web_run: Path) -> None:
    import duckdb

    con = duckdb.connect(str(web_run / "zonewatch.duckdb"), read_only=True)
    try:
        pid = con.execute(
            "SELECT g.property_id FROM registrations g JOIN ownerships o USING (property_id) "
            "JOIN relations x ON x.person_id = g.person_id AND x.relative_id = o.owner_id "
            "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
        family = {r[0] for r in con.execute(
            "SELECT x.person_id FROM relations x JOIN ownerships o ON x.relative_id = o.owner_id "
            "WHERE o.property_id = ?", [pid]).fetchall()}
        citizenship = dict(con.execute("SELECT person_id, citizenship FROM persons").fetchall())
    finally:
        con.close()
    timeline = analyst.get(f"/property/{pid}.json").json()["timeline"]
    marked = {r["person_id"] for r in timeline if r["relation"] == "family"}
    assert marked and marked == family & {r["person_id"] for r in timeline}
    assert all(r["citizenship"] == citizenship[r["person_id"]] for r in timeline)


def test_inspection_list_pages_forward_and_back(analyst: TestClient) -> None:
    everything = analyst.get("/inspection.json?all=1&limit=1000").json()["rows"]
    second = analyst.get("/inspection.json?all=1&limit=10&offset=10").json()
    assert [r["property_id"] for r in second["rows"]] == [
        r["property_id"] for r in everything[10:20]]
    page = analyst.get("/inspection?all=1&limit=10&offset=10").text
    assert 'id="prev-page"' in page and 'id="next-page"' in page
    assert "offset=0" in page and "offset=20" in page


def test_indicators_page_titles_python_computed_ids(analyst: TestClient) -> None:
    from zonewatch.indicators.catalogue import catalogue

    rows = {r["id"]: r for r in analyst.get("/indicators.json").json()["indicators"]}
    for ind_id, flag in catalogue().items():
        assert rows[ind_id]["title"] == flag.title, ind_id
        assert rows[ind_id]["register"] == list(flag.register)
    page = analyst.get("/indicators").text
    assert catalogue()["broker_network"].title in page


def test_page_errors_name_no_server_path(analyst: TestClient, web_run: Path) -> None:
    for path in ("/property/NOPE.json", "/owner/NOPE.json", "/office/NOPE.json",
                 "/network/NOPE", "/official/NOPE"):
        res = analyst.get(path)
        assert res.status_code == 404, (path, res.text[:300])
        assert str(web_run) not in res.text and str(web_run.resolve()) not in res.text, path
