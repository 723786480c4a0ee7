"""Generated sentences shown in the reader's language: titles, plurals, the frame."""

from __future__ import annotations

from fastapi.testclient import TestClient
from web_support import PASSWORD, embedded

from zonewatch.indicators.spec import load_indicators
from zonewatch.network import indicator_catalog
from zonewatch.web.i18n import LANGUAGES
from zonewatch.web.sentences import plurals, sentence, titles


def test_every_indicator_has_a_title_in_every_language() -> None:
    ids = {spec.id for spec in load_indicators()} | set(indicator_catalog())
    missing = {i: sorted(set(LANGUAGES) - set(titles().get(i, {}))) for i in ids
               if set(LANGUAGES) - set(titles().get(i, {}))}
    assert not missing, f"indicator titles missing: {missing}"
    english = {spec.id: spec.title for spec in load_indicators()}
    assert all(titles()[i]["en"] == t for i, t in english.items())


def test_plurals() -> None:
    assert plurals("the norm allows 1 people") == "the norm allows 1 person"
    assert plurals("by 1 official(s); by 3 official(s)") == "by 1 official; by 3 officials"
    assert plurals("2 people in 2 household(s)") == "2 people in 2 households"
    assert plurals("allows 11 people") == "allows 11 people"


def test_explanation_frame_and_titles_translated() -> None:
    text = "Flagged by 2 indicators - norm_area: 9 people in 46 m²; no_consent: 3 of 9"
    assert sentence(text, "en") == text
    ru = sentence(text, "ru")
    assert ru.startswith("Отмечено индикаторами: 2. «Зарегистрированных больше нормы")
    assert "norm_area" not in ru and "no_consent" not in ru and "9 people in 46 m²" in ru
    assert sentence(text, "kk").startswith("Белгілеген индикаторлар: 2. «Тұрғын алаң")


def test_pages_translate_at_display_time_json_keeps_the_contract(city_app) -> None:
    client = TestClient(city_app)
    client.post("/login", data={"username": "ana", "password": PASSWORD})
    page = client.get("/inspection?lang=kk")
    data = embedded(page.text)
    assert data == client.get("/inspection.json").json()
    first = data["rows"][0]
    assert first["explanation"].startswith("Flagged by")  # the data contract, unchanged
    assert "Белгілеген индикаторлар" in page.text
    english = client.get("/inspection?lang=en").text.split('id="page-data"')[0]
    assert "household(s)" in str(data) or "official(s)" in str(data)
    assert "household(s)" not in english and "official(s)" not in english
