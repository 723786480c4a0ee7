"""Roles and masking as the service defines them, and the English/Russian/Kazakh switch."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from zonewatch.web.i18n import LANGUAGES, messages


def client_for(web_app, username: str) -> TestClient:
    client = TestClient(web_app)
    response = client.post("/login", data={"username": username, "password": "correct-horse-1"},
                           follow_redirects=False)
    assert response.status_code == 303
    return client


def test_auditor_sees_pseudonyms_not_person_ids(web_app) -> None:
    auditor = client_for(web_app, "aud")
    analyst = client_for(web_app, "ana")
    clear = analyst.get("/property/P036.json").json()
    masked = auditor.get("/property/P036.json").json()
    assert masked["masked"] is True and clear["masked"] is False
    clear_ids = {r["person_id"] for r in clear["timeline"]}
    masked_ids = {r["person_id"] for r in masked["timeline"]}
    assert clear_ids and not clear_ids & masked_ids
    assert all(i.startswith("ps_") for i in masked_ids)
    assert not any(i in auditor.get("/property/P036").text for i in clear_ids)
    graph = auditor.get("/network/N1.json").json()
    owners = [n["id"] for n in graph["nodes"] if n["type"] == "owner"]
    assert owners and all(o.startswith("ps_") for o in owners)
    assert {e["source"] for e in graph["edges"] if e["label"] == "owns"} <= set(owners)


def test_inspector_cannot_read_lists(web_app) -> None:
    inspector = client_for(web_app, "insp")
    assert inspector.get("/inspection.json").status_code == 403
    assert inspector.get("/property/P036.json").status_code == 403  # not on their visits


@pytest.mark.parametrize("lang,word", [("en", "Inspection list"), ("ru", "Список проверок"),
                                       ("kk", "Тексеру тізімі")])
def test_language_switch_by_query_and_cookie(web_app, lang: str, word: str) -> None:
    client = client_for(web_app, "ana")
    assert word in client.get(f"/overview?lang={lang}").text
    assert word in client.get("/inspection").text  # the cookie keeps the choice
    assert client.cookies.get("zonewatch_lang") == lang


def test_every_language_has_every_label() -> None:
    keys = {lang: set(messages(lang)) for lang in LANGUAGES}
    every = set().union(*keys.values())
    missing = {lang: sorted(every - own) for lang, own in keys.items() if every - own}
    assert not missing, f"labels missing: {missing}"
    assert set(LANGUAGES) == {"en", "ru", "kk"}
    assert all(messages(lang)[k] for lang in LANGUAGES for k in every)


def test_every_label_a_template_names_exists() -> None:
    folder = Path(__file__).resolve().parents[2] / "src" / "zonewatch" / "web" / "templates"
    used = {m for f in folder.glob("*.html")
            for m in re.findall(r"\bt\('([a-z0-9_]+)'\s*[,)]", f.read_text("utf-8"))}
    assert len(used) > 50
    for lang in LANGUAGES:
        assert not used - set(messages(lang)), (lang, sorted(used - set(messages(lang))))


def test_audit_page_shows_reads_to_auditors_only(web_app) -> None:
    analyst = client_for(web_app, "ana")
    analyst.get("/property/P009.json")
    auditor = client_for(web_app, "aud")
    events = auditor.get("/audit.json?username=ana&target_type=property").json()["events"]
    assert any(e["action"] == "read" and e["target_id"] == "P009" for e in events)
    assert {e["username"] for e in events} == {"ana"}
    assert "Audit trail" in auditor.get("/overview").text  # in the auditor's menu
    assert analyst.get("/audit.json").status_code == 403
    assert "Audit trail" not in analyst.get("/overview").text


def test_language_survives_the_login_redirect(web_app) -> None:
    with TestClient(web_app) as client:
        response = client.get("/inspection?lang=ru", follow_redirects=False)
        assert response.headers["location"].endswith("&lang=ru")
        form = client.get(response.headers["location"])
        assert "Вход в zonewatch" in form.text and 'action="/login?lang=ru"' in form.text
        failed = client.post("/login?lang=ru", data={"username": "ana", "password": "nope-nope"})
        assert "Неверное имя пользователя или пароль" in failed.text
