"""Search and the person page on a generated city: what an analyst finds, what a masked
auditor finds, and that every search that shows persons is audited."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from web_support import PASSWORD, embedded


def client_for(app, username: str) -> TestClient:
    client = TestClient(app)
    client.post("/login", data={"username": username, "password": PASSWORD})
    return client


@pytest.fixture(scope="module")
def extract(small_city: Path) -> dict[str, pd.DataFrame]:
    read = lambda name: pd.read_csv(small_city / "extract" / f"{name}.csv", dtype=str)  # noqa: E731
    return {n: read(n) for n in ("persons", "registrations", "properties", "ownerships")}


@pytest.fixture(scope="module")
def busy_person(extract) -> pd.Series:
    """A person with an IIN registered at two or more properties."""
    regs = extract["registrations"]
    counts = regs.groupby("person_id")["property_id"].nunique()
    persons = extract["persons"].set_index("person_id")
    many = [p for p in counts[counts >= 2].index if isinstance(persons.at[p, "iin"], str)]
    assert many, "the generated city has people registered at several addresses"
    return persons.loc[many[0]].rename(many[0])


def test_analyst_finds_a_person_by_iin_and_their_registrations(city_app, extract,
                                                               busy_person) -> None:
    client = client_for(city_app, "ana")
    found = client.get("/api/search", params={"q": busy_person["iin"]}).json()
    assert [p["person_id"] for p in found["persons"]] == [busy_person.name]
    assert found["persons"][0]["last_name"] == busy_person["last_name"]
    page = client.get(f"/person/{busy_person.name}")
    assert page.status_code == 200
    data = embedded(page.text)
    assert data == client.get(f"/api/persons/{busy_person.name}").json()
    regs = extract["registrations"]
    mine = regs[regs["person_id"] == busy_person.name]
    assert sorted(r["registration_id"] for r in data["registrations"]) == sorted(
        mine["registration_id"])
    approvers = mine["official_id"].dropna().value_counts()
    assert {a["official_id"]: a["registrations"] for a in data["approved_by"]} == dict(
        approvers)
    # with whom: everyone else registered at one of those properties at an overlapping time
    end = lambda s: s.fillna("9999-12-31")  # noqa: E731
    pairs = mine.merge(regs, on="property_id", suffixes=("", "_o"))
    overlap = pairs[(pairs["person_id_o"] != busy_person.name)
                    & (pairs["start_date_o"] < end(pairs["end_date"]))
                    & (end(pairs["end_date_o"]) > pairs["start_date"])]
    assert {w["person_id"] for w in data["with_whom"]} == set(overlap["person_id_o"])
    assert busy_person["last_name"] in page.text


def test_search_by_name_address_and_property_filter(city_app, extract, busy_person) -> None:
    client = client_for(city_app, "ana")
    name = f"{busy_person['last_name']} {busy_person['first_name']}"
    found = client.get("/search.json", params={"q": name}).json()
    assert busy_person.name in [p["person_id"] for p in found["persons"]]
    assert all(p["last_name"] == busy_person["last_name"] for p in found["persons"])
    street = extract["properties"]["address"].iloc[0].split(", ")[2]  # "ул. ..."
    props = client.get("/api/search", params={"q": street, "limit": 100}).json()["properties"]
    expected = extract["properties"][extract["properties"]["address"].str.contains(
        street, regex=False)]
    assert {p["property_id"] for p in props} == set(expected["property_id"][:100])
    # /api/properties?q=IIN: the properties where that person is registered or owns
    listed = client.get("/api/properties", params={"q": busy_person["iin"],
                                                   "per_page": 500}).json()
    regs = extract["registrations"]
    owned = extract["ownerships"][extract["ownerships"]["owner_id"] == busy_person.name]
    assert {i["property_id"] for i in listed["items"]} == set(
        regs[regs["person_id"] == busy_person.name]["property_id"]) | set(owned["property_id"])
    rows = client.get("/inspection.json", params={"q": street, "all": "1"}).json()["rows"]
    assert rows and all(street in r["address"] for r in rows)


def test_auditor_cannot_find_by_name_but_follows_pseudonyms(city_app, extract,
                                                            busy_person) -> None:
    client = client_for(city_app, "aud")
    assert client.get("/api/search", params={"q": busy_person["iin"]}).json()["persons"] == []
    by_name = client.get("/api/search", params={"q": busy_person["last_name"]}).json()
    assert by_name["persons"] == [] and by_name["masked"] is True
    assert client.get("/api/properties", params={"q": busy_person["iin"]}).json()["total"] == 0
    shown = client.get(f"/api/persons/{busy_person.name}").json()
    pseudonym = shown["person_id"]
    assert pseudonym.startswith("ps_") and shown["record"]["last_name"] == "***"
    found = client.get("/api/search", params={"q": pseudonym}).json()["persons"]
    assert [p["person_id"] for p in found] == [pseudonym]
    page = client.get(f"/person/{pseudonym}")
    assert page.status_code == 200
    person_ids = set(extract["persons"]["person_id"])
    leaked = [p for p in person_ids if p in page.text]
    assert not leaked, leaked[:5]
    assert busy_person["last_name"] not in page.text and busy_person["iin"] not in page.text
    events = client.get("/api/audit", params={"target_type": "search"}).json()
    events = events.get("events", events) if isinstance(events, dict) else events
    assert any(e["username"] == "aud" and e["target_id"] == pseudonym for e in events)


def test_property_page_lists_registrants_for_analysts(city_app, city_run: Path,
                                                      extract) -> None:
    regs = extract["registrations"]
    top = regs["property_id"].value_counts().index[0]
    client = client_for(city_app, "ana")
    page = client.get(f"/property/{top}")
    table = page.text.split('id="registrants"')[1].split("</table>")[0]
    expected = regs[regs["property_id"] == top].sort_values("start_date", ascending=False)
    assert table.count("<tr>") - 1 == min(len(expected), 500)
    first = extract["persons"].set_index("person_id").loc[expected["person_id"].iloc[0]]
    assert first["last_name"] in table
    assert f'href="/person/{expected["person_id"].iloc[0]}"' in table
    masked = client_for(city_app, "aud").get(f"/property/{top}").text
    table = masked.split('id="registrants"')[1].split("</table>")[0]
    assert "ps_" in table and first["last_name"] not in table


def test_search_needs_a_query_and_a_role(city_app) -> None:
    assert client_for(city_app, "ana").get("/api/search", params={"q": "x"}).status_code == 422
    assert client_for(city_app, "insp").get("/api/search", params={"q": "AST"}).status_code == 403
    assert client_for(city_app, "insp").get("/search?q=AST").status_code == 403
