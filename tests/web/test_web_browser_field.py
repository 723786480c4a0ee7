"""A real Chromium: the plan -> assign -> outcomes -> progress walk, search an IIN, open the
person, the registrants, downloads, Kazakh."""

from __future__ import annotations

import json
from pathlib import Path

import geojson
import pandas as pd
import pytest
from web_support import PASSWORD

pytestmark = pytest.mark.browser


def _tab(browser, live_server: str, username: str,  # noqa: ANN001, ANN202
         landing: str = "**/overview"):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server,
                                  accept_downloads=True)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.goto("/login")
    tab.fill("input[name=username]", username)
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url(landing)
    return context, tab, errors


@pytest.fixture()
def analyst(browser, live_server: str):  # noqa: ANN001, ANN201
    context, tab, errors = _tab(browser, live_server, "ana")
    yield tab
    context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture(scope="module")
def person(city_run: Path) -> pd.Series:
    """A person with an IIN registered at two or more properties of the city."""
    extract = city_run.parent / "extract"
    persons = pd.read_csv(extract / "persons.csv", dtype=str).set_index("person_id")
    regs = pd.read_csv(extract / "registrations.csv", dtype=str)
    counts = regs.groupby("person_id")["property_id"].nunique()
    many = [p for p in counts[counts >= 2].index
            if p in persons.index and isinstance(persons.at[p, "iin"], str)]
    return persons.loc[many[0]].rename(many[0])


def test_analyst_searches_an_iin_and_opens_the_person(analyst, person,
                                                     screenshots: Path) -> None:
    analyst.fill("header form.search input[name=q]", person["iin"])
    analyst.press("header form.search input[name=q]", "Enter")
    analyst.wait_for_url("**/search?q=*")
    rows = analyst.locator("#found-persons tbody tr")
    assert rows.count() == 1 and person["last_name"] in rows.inner_text()
    analyst.screenshot(path=str(screenshots / "search.png"), full_page=True)
    rows.locator("a[href^='/person/']").click()
    analyst.wait_for_url(f"**/person/{person.name}")
    assert person["last_name"] in analyst.locator("#person-name").inner_text()
    assert analyst.locator("#person-registrations tbody tr").count() >= 2
    assert analyst.locator("#person-with-whom tbody tr").count() >= 1
    analyst.screenshot(path=str(screenshots / "person.png"), full_page=True)
    analyst.locator("#person-registrations a[href^='/property/']").first.click()
    analyst.wait_for_url("**/property/**")
    registrants = analyst.locator("#registrants tbody tr")
    assert registrants.count() >= 1
    assert analyst.locator(f"#registrants a[href='/person/{person.name}']").count() >= 1
    analyst.locator("#registrants").scroll_into_view_if_needed()
    analyst.screenshot(path=str(screenshots / "property_registrants.png"), full_page=True)


def test_inspection_list_filters_by_q(analyst, screenshots: Path) -> None:
    analyst.goto("/inspection")
    address = analyst.locator("#inspection-table tbody tr").first.inner_text()
    street = next(part for part in address.split(", ") if part.startswith("ул."))
    analyst.fill("#filters input[name=q]", street)
    analyst.click("#filters button[type=submit]")
    analyst.wait_for_url("**q=**")
    rows = analyst.locator("#inspection-table tbody tr")
    assert rows.count() >= 1
    assert all(street in text for text in rows.all_inner_texts())
    analyst.screenshot(path=str(screenshots / "inspection_q.png"), full_page=True)


def test_downloads_page_gives_valid_geojson(analyst, screenshots: Path,
                                            tmp_path: Path) -> None:
    analyst.click("header nav a[href='/downloads']")
    analyst.wait_for_url("**/downloads")
    analyst.screenshot(path=str(screenshots / "downloads.png"), full_page=True)
    with analyst.expect_download() as info:
        analyst.click("#downloads a[href='/api/export/flagged.geojson']")
    path = tmp_path / "flagged.geojson"
    info.value.save_as(path)
    parsed = geojson.loads(path.read_text("utf-8"))
    assert parsed.is_valid and parsed["features"]
    with analyst.expect_download() as info:
        analyst.click("#downloads a[href='/api/export/entities.ftm.json']")
    info.value.save_as(tmp_path / "e.json")
    first = json.loads((tmp_path / "e.json").read_text("utf-8").splitlines()[0])
    assert first["schema"] == "RealEstate"


def test_kazakh_interface(analyst, screenshots: Path) -> None:
    analyst.goto("/overview?lang=kk")
    assert analyst.locator("html").get_attribute("lang") == "kk"
    assert analyst.locator("header nav").inner_text().startswith("Шолу")
    analyst.screenshot(path=str(screenshots / "overview_kk.png"), full_page=True)
    analyst.goto("/inspection")  # the cookie keeps Kazakh
    assert "Тексеру тізімі" in analyst.locator("h1").inner_text()
    analyst.locator("#inspection-table tbody tr a[href^='/property/']").first.click()
    analyst.wait_for_url("**/property/**")
    assert "Тіркелгендер" in analyst.locator("body").inner_text()
    analyst.screenshot(path=str(screenshots / "property_kk.png"), full_page=True)
    analyst.goto("/overview?lang=en")


def test_auditor_sees_pseudonyms_on_the_person_page(browser, live_server: str, person,
                                                    screenshots: Path) -> None:
    context, tab, errors = _tab(browser, live_server, "aud")
    tab.goto(f"/search?q={person['iin']}")
    assert tab.locator("#found-persons").count() == 0
    tab.goto(f"/person/{person.name}")
    text = tab.locator("main").inner_text()
    assert person["last_name"] not in text and person["iin"] not in text
    assert "ps_" in text
    tab.screenshot(path=str(screenshots / "person_auditor.png"), full_page=True)
    context.close()
    assert errors == []


def test_plan_assign_record_progress_then_search(browser, live_server: str, analyst, person,
                                                 screenshots: Path) -> None:
    """The field loop in one walk: ticked rows -> plan -> assigned in the UI -> the inspector
    records two outcomes -> the plan, the plans list and the list show them -> a person."""
    analyst.goto("/inspection?sort=rank&dir=desc")  # the bottom: rows other tests do not plan
    picks = analyst.locator("input.pick")
    chosen = [picks.nth(i).get_attribute("value") for i in range(4)]
    for i in range(4):
        picks.nth(i).check()
    analyst.fill("#plan-form input[name=teams]", "2")
    analyst.fill("#plan-form input[name=days]", "1")
    analyst.fill("#plan-form input[name=visits_per_day]", "2")
    analyst.click("#plan-submit")
    analyst.wait_for_url("**/plans/*")
    plan_id = analyst.url.rsplit("/", 1)[1]
    team1 = analyst.locator("#team-progress tr[data-team='1']")
    assert "0 of 2 done" in team1.inner_text()
    team1.locator("select[name=username]").select_option("insp")
    team1.locator("button[type=submit]").click()
    analyst.locator("#team-progress tr[data-team='1'] td.team-inspectors",
                    has_text="insp").wait_for()
    team2 = analyst.locator("#team-progress tr[data-team='2'] td.team-inspectors")
    assert team2.inner_text() == "—"
    analyst.screenshot(path=str(screenshots / "plan_assigned.png"), full_page=True)

    context, inspector, errors = _tab(browser, live_server, "insp", landing="**/plans")
    row = inspector.locator("#plans-table tbody tr",
                            has=inspector.locator(f"a[href='/plans/{plan_id}']"))
    assert "0 of 2 done" in row.inner_text()  # the inspector's own team
    for outcome, extra in (("violation", "5"), ("no_violation", None)):
        inspector.goto(f"/plans/{plan_id}")
        pending = inspector.locator("table.plan-visits tbody tr",
                                    has=inspector.locator("td.visit-outcome .neutral"))
        assert pending.count() >= 1
        pending.first.locator("a[href^='/property/']").click()
        inspector.wait_for_url("**/property/**?visit=*")
        before = inspector.locator("#inspections tbody tr").count()
        inspector.select_option("#outcome-form select[name=outcome]", outcome)
        if extra:
            inspector.fill("#outcome-form input[name=fictitious_count]", extra)
        inspector.click("#outcome-form button[type=submit]")
        inspector.locator("#inspections tbody tr").nth(before).wait_for()
    inspector.goto(f"/plans/{plan_id}")
    assert inspector.locator("table.plan-visits tbody tr").count() == 2  # own team only
    assert "2 of 2 done, 0 left" in inspector.locator("#plan-progress").inner_text()
    assert inspector.locator("#plan-violations").inner_text() == "1"
    inspector.screenshot(path=str(screenshots / "plan_inspector_done.png"), full_page=True)
    context.close()
    assert errors == []

    analyst.goto("/plans")
    listed = analyst.locator("#plans-table tbody tr",
                             has=analyst.locator(f"a[href='/plans/{plan_id}']"))
    assert "2 of 4 done, 2 left" in listed.inner_text() and "insp" in listed.inner_text()
    analyst.screenshot(path=str(screenshots / "plans_progress.png"), full_page=True)
    analyst.goto(f"/plans/{plan_id}")
    chips = analyst.locator("td.visit-outcome").all_inner_texts()
    assert sum("Violation" in c for c in chips) == 1
    assert sum("No violation" in c for c in chips) == 1
    analyst.screenshot(path=str(screenshots / "plan_progress.png"), full_page=True)
    data = analyst.request.get(f"/plans/{plan_id}.json").json()
    assert data["progress"] == {"visits": 4, "done": 2, "left": 2, "violation": 1,
                                "no_violation": 1, "no_access": 0}
    assert sorted(v["outcome"] or "" for v in data["visits"]) == ["", "", "no_violation",
                                                                  "violation"]
    analyst.goto("/inspection?sort=rank&dir=desc")
    statuses = {pid: analyst.locator(f"tr[data-property='{pid}'] td.field-status").inner_text()
                for pid in chosen}
    assert sorted(s.split()[0] for s in statuses.values()) == ["inspected", "inspected",
                                                               "planned", "planned"]
    analyst.screenshot(path=str(screenshots / "inspection_status.png"), full_page=True)

    analyst.fill("header form.search input[name=q]", person["iin"])
    analyst.press("header form.search input[name=q]", "Enter")
    analyst.wait_for_url("**/search?q=*")
    analyst.locator("#found-persons a[href^='/person/']").first.click()
    analyst.wait_for_url(f"**/person/{person.name}")
    assert person["last_name"] in analyst.locator("#person-name").inner_text()
