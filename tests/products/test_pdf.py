"""PDF dossiers and field sheets, read back with pypdf."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from zonewatch.inspections.planner import (
    Capacity,
    annotate_visits,
    build_plan,
    get_plan_row,
    plan_dict,
)
from zonewatch.products import dossier, pdf
from zonewatch.service.masking import Masker
from zonewatch.store.db import Store


def _text(body: bytes) -> str:
    reader = PdfReader(io.BytesIO(body))
    return "\n".join(page.extract_text() for page in reader.pages)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_every_language_has_every_label() -> None:
    text = (Path(pdf.__file__).parent / "pdf_labels.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    assert set(data) == set(pdf.LANGUAGES)
    keys = [set(v) for v in data.values()]
    assert all(k == keys[0] for k in keys), [keys[0] ^ k for k in keys]
    assert all(v for lang in data.values() for v in lang.values())


@pytest.mark.parametrize("lang,word", [("en", "Registrants"), ("ru", "Зарегистрированные"),
                                       ("kk", "Тіркелгендер")])
def test_dossier_has_the_rows(run, ranked, extract, lang: str, word: str) -> None:
    top = ranked.iloc[0]["property_id"]
    text = _words(_text(pdf.dossier(dossier.dossier_data(run, top), lang)))
    assert top in text and word in text
    regs = extract("registrations")
    persons = extract("persons").set_index("person_id")
    mine = regs[regs["property_id"] == top].sort_values("start_date", ascending=False)
    for pid in mine["person_id"].head(dossier.MAX_REGISTRANTS):
        assert pid in text
        assert persons.at[pid, "last_name"] in text
    evidence = dossier.dossier_data(run, top)["evidence"]
    assert evidence and all(e["indicator_id"] in text for e in evidence)


def test_masked_dossier_names_nobody(run, ranked, extract) -> None:
    top = ranked.iloc[0]["property_id"]
    data = dossier.masked(run, dossier.dossier_data(run, top), Masker(b"k" * 32))
    text = _words(_text(pdf.dossier(data, "ru")))
    regs = extract("registrations")
    persons = extract("persons").set_index("person_id")
    for pid in regs.loc[regs["property_id"] == top, "person_id"]:
        assert pid not in text and persons.at[pid, "last_name"] not in text
    assert "ps_" in text


def test_field_sheet_one_page_per_day_and_team(run, run_dir: Path, tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'store.sqlite'}")
    with store.session() as session:
        made = build_plan(session, run_dir, Capacity(2, 2, 3), date(2026, 12, 7), "ana")
        plan = annotate_visits(session, plan_dict(get_plan_row(session, made["plan_id"])), run)
    body = pdf.field_sheet(plan, "kk")
    reader = PdfReader(io.BytesIO(body))
    groups = {(v["visit_on"], v["team"]) for v in plan["visits"]}
    assert len(reader.pages) == len(groups) == 4
    text = _words(_text(body))
    assert "Далалық парақ" in text
    for visit in plan["visits"]:
        assert visit["property_id"] in text
