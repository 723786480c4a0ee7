"""A real Chromium drives the pages on a real uvicorn server: the analyst's daily path."""

from __future__ import annotations

from pathlib import Path

import pytest
from web_support import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture()
def page(browser, live_server: str, screenshots: Path):
    """A logged-in analyst's tab; fails the test on any browser console error."""
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda exc: errors.append(str(exc)))
    tab.console_errors = errors  # a test expecting an error (a 404 page) takes it out
    tab.goto("/inspection")
    assert "/login" in tab.url  # not logged in yet: sent to the login form
    tab.fill("input[name=username]", "ana")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/inspection")
    yield tab
    context.close()
    assert errors == [], f"browser console errors: {errors}"


def test_list_filter_and_property(page, screenshots: Path) -> None:
    page.screenshot(path=str(screenshots / "inspection.png"), full_page=True)
    # a district the list shows (not every district has flagged properties)
    district = page.locator("#inspection-table tbody tr td:nth-child(4)").first.inner_text()
    assert district in page.locator("select[name=district] option").all_inner_texts()
    page.select_option("select[name=district]", district)
    page.click("#filters button[type=submit]")
    page.wait_for_url(f"**district={district}**")
    districts = page.locator("#inspection-table tbody tr td:nth-child(4)").all_inner_texts()
    assert districts and set(districts) == {district}
    page.locator("#inspection-table thead a[data-sort=score]").click()
    page.wait_for_url("**sort=score**")
    page.locator("#inspection-table tbody tr a[href^='/property/']").first.click()
    page.wait_for_url("**/property/**")
    assert page.locator("svg.chart rect.reg").count() > 0  # the registration timeline
    page.screenshot(path=str(screenshots / "property.png"), full_page=True)


def test_overview_map_and_language(page, screenshots: Path) -> None:
    page.goto("/overview")
    assert page.locator("svg.chart polygon.hex").count() > 5
    page.screenshot(path=str(screenshots / "overview.png"), full_page=True)
    page.click("a[hreflang=ru]")
    page.wait_for_url("**lang=ru")
    assert page.locator("header nav").inner_text().startswith("Обзор")
    page.screenshot(path=str(screenshots / "overview_ru.png"), full_page=True)
    page.goto("/overview?lang=en")


def test_network_graph_drag_and_click(page, screenshots: Path) -> None:
    page.goto("/networks")
    page.locator("#ranked-table a[href^='/network/']").first.click()
    page.wait_for_url("**/network/**")
    nodes = page.locator("#graph g.node")
    assert nodes.count() >= 3
    owner = page.locator("#graph g.node.owner").first
    before = owner.get_attribute("transform")
    box = owner.locator("circle").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + 120, box["y"] + 60, steps=5)
    page.mouse.up()
    assert owner.get_attribute("transform") != before  # dragged, not navigated
    assert "/network/" in page.url
    page.screenshot(path=str(screenshots / "network.png"), full_page=True)
    target = page.locator("#graph g.node.property").first
    target_id = target.get_attribute("data-id")
    target.locator("circle").click()
    page.wait_for_url(f"**/property/{target_id}")


def test_edit_register_entry(page, screenshots: Path) -> None:
    page.goto("/register")
    page.screenshot(path=str(screenshots / "register.png"), full_page=True)
    page.locator("#register-table a[href='/register/REG-RUBBER-FLATS']").click()
    page.wait_for_url("**/register/REG-RUBBER-FLATS")
    versions = page.locator("#history tbody tr").count()
    page.select_option("#entry-form select[name=status]", "monitored")
    page.fill("#entry-form input[name=reason]", "checked by the browser test")
    page.click("#entry-form button[type=submit]")
    page.locator("#history tbody tr").nth(versions).wait_for()  # one row more (CSP: no eval)
    assert "checked by the browser test" in page.locator("#history").inner_text()
    assert "monitored" in page.locator("h1 + p.sub").inner_text()
    page.screenshot(path=str(screenshots / "register_entry.png"), full_page=True)


def test_plan_from_selection_and_record_outcome(page, screenshots: Path) -> None:
    page.goto("/inspection")
    picks = page.locator("input.pick")
    assert page.locator("#plan-submit").is_disabled()
    chosen = [picks.nth(i).get_attribute("value") for i in range(3)]
    for i in range(3):
        picks.nth(i).check()
    assert "3" in page.locator("#selected-count").inner_text()
    page.fill("#plan-form input[name=teams]", "1")
    page.fill("#plan-form input[name=days]", "1")
    page.fill("#plan-form input[name=visits_per_day]", "3")
    page.click("#plan-submit")
    page.wait_for_url("**/plans/*")
    planned = page.locator("table.plan-visits tbody tr td:nth-child(2) a").all_inner_texts()
    assert sorted(planned) == sorted(chosen)
    page.screenshot(path=str(screenshots / "plan.png"), full_page=True)
    page.locator("table.plan-visits a").first.click()
    page.wait_for_url("**/property/*?visit=*")
    before = page.locator("#inspections tbody tr").count()
    page.select_option("#outcome-form select[name=outcome]", "violation")
    page.fill("#outcome-form input[name=fictitious_count]", "7")
    page.select_option("#outcome-form select[name=brokering]", "true")
    page.fill("#outcome-form textarea[name=notes]", "recorded from the browser test")
    page.click("#outcome-form button[type=submit]")
    page.locator("#inspections tbody tr").nth(before).wait_for()
    history = page.locator("#inspections").inner_text()
    assert "recorded from the browser test" in history and "ana" in history
    page.screenshot(path=str(screenshots / "property_outcome.png"), full_page=True)


def test_add_a_measure_to_an_entry(page) -> None:
    page.goto("/register/REG-CONSENT-BYPASS")
    measures = page.locator("#measures tbody tr").count()
    page.fill("#measure-form input[name=title]", "Mandatory SMS consent from the owner")
    page.select_option("#measure-form select[name=status]", "adopted")
    page.fill("#measure-form input[name=effective_on]", "2026-06-01")
    page.fill("#measure-form input[name=reason]", "measure added by the browser test")
    page.click("#measure-form button[type=submit]")
    page.locator("#measures tbody tr").nth(measures).wait_for()
    assert "Mandatory SMS consent from the owner" in page.locator("#measures").inner_text()


def test_every_page_renders_without_errors(page, screenshots: Path) -> None:
    for start, selector, name in (
            ("/owners", "#ranked-table a[href^='/owner/']", "owner"),
            ("/officials", "#ranked-table a[href^='/official/']", "official"),
            ("/offices", "#ranked-table a[href^='/office/']", "office")):
        page.goto(start)
        page.screenshot(path=str(screenshots / f"{start.strip('/')}.png"), full_page=True)
        page.locator(selector).first.click()
        page.wait_for_url(f"**/{name}/**")
        assert page.locator("h1").inner_text().strip()
        page.screenshot(path=str(screenshots / f"{name}.png"), full_page=True)
    page.goto("/property/NOT-A-PROPERTY")
    assert "404" in page.locator("h1").inner_text()
    assert [e for e in page.console_errors if "404" in e] == page.console_errors[-1:]
    page.console_errors.pop()
    page.screenshot(path=str(screenshots / "not_found.png"))
    page.goto("/plans")
    page.emulate_media(media="print")
    assert not page.locator("header.top").is_visible()  # the print stylesheet hides chrome
    page.emulate_media(media="screen")


def test_inspector_records_an_outcome_for_own_visit(browser, live_server: str, city_app,
                                                     screenshots: Path) -> None:
    from fastapi.testclient import TestClient
    from web_support import login

    with TestClient(city_app) as analyst:
        login(analyst, "ana")
        top = analyst.get("/inspection.json?limit=2").json()["rows"]
        plan = analyst.post("/plans/selection", json={
            "property_ids": [r["property_id"] for r in top], "teams": 2, "days": 1,
            "visits_per_day": 1, "start_on": "2026-12-01"}).json()
        assert analyst.post(f"/api/plans/{plan['id']}/assign",
                            json={"team": 1, "username": "insp"}).status_code == 200
    context = browser.new_context(viewport={"width": 1360, "height": 900}, base_url=live_server)
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    tab.goto("/login")
    tab.fill("input[name=username]", "insp")
    tab.fill("input[name=password]", PASSWORD)
    tab.click("button[type=submit]")
    tab.wait_for_url("**/plans")  # inspectors start from their plans
    assert [a.inner_text() for a in tab.locator("header nav a").all()] == ["Inspection plans"]
    tab.locator(f"#plans-table a[href='/plans/{plan['id']}']").click()
    tab.wait_for_url(f"**/plans/{plan['id']}")
    assert tab.locator("table.plan-visits tbody tr").count() == 1  # only team 1's visit
    tab.locator("table.plan-visits a").first.click()
    tab.wait_for_url("**/property/**")
    assert tab.locator("a[href^='/owner/'], a[href^='/official/']").count() == 0  # no 403 links
    tab.select_option("#outcome-form select[name=outcome]", "no_violation")
    tab.fill("#outcome-form input[name=persons_found]", "3")
    tab.click("#outcome-form button[type=submit]")
    tab.locator("#inspections", has_text="insp").wait_for()
    tab.screenshot(path=str(screenshots / "inspector_property.png"), full_page=True)
    context.close()
    assert errors == []
