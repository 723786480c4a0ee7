"""The definitions themselves: complete, documented, safely parameterised."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from zonewatch.config import SettingsError
from zonewatch.indicators import load_indicators, load_settings
from zonewatch.indicators.docs import catalogue_in, render_catalogue
from zonewatch.indicators.params import literal, substitute
from zonewatch.indicators.render import template_fields
from zonewatch.indicators.runner import indicator_sql, resolve_params
from zonewatch.indicators.settings import indicator_settings
from zonewatch.indicators.spec import IndicatorDefinitionError, parse_indicator

DOCS = Path(__file__).resolve().parents[2] / "docs" / "indicators.md"
MINIMAL = {"id": "x", "entity": "property", "title": "T", "description": "D", "rationale": "R",
           "sql": "SELECT 1", "explanation": "E"}


@pytest.mark.parametrize("ind", load_indicators(), ids=lambda i: i.id)
def test_definition_is_documented(ind):
    for text in (ind.title, ind.description, ind.rationale, ind.explanation):
        assert len(text.strip()) >= 10, f"{ind.id}: a text field is too short"
    assert all(len(p.help) >= 10 for p in ind.params), f"{ind.id}: a param lacks help"
    assert ind.register, f"{ind.id}: names no register entry"
    assert all(code.startswith("REG-") for code in ind.register)
    used = set(template_fields(ind.explanation))
    assert used, f"{ind.id}: explanation has no figures"


@pytest.mark.parametrize("ind", load_indicators(), ids=lambda i: i.id)
def test_every_param_is_used_and_every_placeholder_known(ind):
    sql = indicator_sql(ind, load_settings(), dt.date(2026, 11, 27))
    assert "${" not in sql
    for p in ind.params:
        assert f"${{{p.name}}}" in ind.sql or f"{{{p.name}" in ind.explanation, (
            f"{ind.id}: param {p.name} is never used")


def test_docs_catalogue_matches_definitions():
    found = catalogue_in(DOCS.read_text(encoding="utf-8"))
    assert found is not None, "docs/indicators.md lacks the generated catalogue"
    assert found == render_catalogue(load_indicators()), (
        "docs/indicators.md is out of date: replace its catalogue block with the output of "
        "`zonewatch indicators --update-docs docs/indicators.md`")


@pytest.mark.parametrize("field", ["description", "rationale", "explanation", "sql", "title"])
def test_missing_text_field_is_rejected(field):
    with pytest.raises(IndicatorDefinitionError, match=field):
        parse_indicator({**MINIMAL, field: " "})


def test_param_without_help_or_default_is_rejected():
    with pytest.raises(IndicatorDefinitionError, match="help"):
        parse_indicator({**MINIMAL, "params": {"k": {"default": 1}}})
    with pytest.raises(IndicatorDefinitionError, match="default"):
        parse_indicator({**MINIMAL, "params": {"k": {"help": "some help"}}})
    with pytest.raises(IndicatorDefinitionError, match="entity"):
        parse_indicator({**MINIMAL, "entity": "building"})


def test_literals_are_safe():
    assert literal("O'Brien'; DROP TABLE x; --") == "'O''Brien''; DROP TABLE x; --'"
    assert literal("2026-08-01") == "DATE '2026-08-01'"
    assert literal(["a", 3]) == "('a', 3)"
    assert literal(2.5) == "2.5"
    with pytest.raises(ValueError):
        literal("2026-02-30")
    with pytest.raises(ValueError):
        literal(float("nan"))
    with pytest.raises(KeyError, match="nope"):
        substitute("SELECT ${nope}", {}, where="t")


def test_settings_override_params_and_reject_unknown():
    ind = next(i for i in load_indicators() if i.id == "norm_area")
    settings = indicator_settings({"params": {"norm_area": {"half_saturation": 9}}})
    assert resolve_params(ind, settings)["half_saturation"] == 9
    assert resolve_params(ind, load_settings())["half_saturation"] == ind.defaults()[
        "half_saturation"]
    with pytest.raises(SettingsError, match=r"params.norm_area: unknown parameters \['halfsat'\]"):
        indicator_settings({"params": {"norm_area": {"halfsat": 9}}})


def test_settings_file_unknown_key(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("wieghts: {norm_area: 2}\n", encoding="utf-8")
    with pytest.raises(SettingsError, match=f"settings file {path}: unknown setting wieghts"):
        load_settings(path)
    path.write_text("weights: {norm_area: 7}\n", encoding="utf-8")
    merged = load_settings(path)
    assert merged.weights == {"norm_area": 7.0}
    assert merged.norms[0].m2_per_person == 15
    # inside sections of settings too: a misspelt or retired key is refused, with where
    for text, where in (("calibration: {min_fired: 1}\n", "unknown setting calibration.min_fired"),
                        ("scoring: {rarity: {shar: 1}}\n", "unknown setting scoring.rarity.shar"),
                        ("weights: {norm_aera: 2}\n", "unknown indicator ids in weights"),
                        ("disabled: [turnovr]\n", "unknown indicator ids in disabled"),
                        ("scoring: {family_discount: high}\n",
                         "scoring.family_discount must be a number"),
                        ("scoring: 0.5\n", "scoring is a section")):
        path.write_text(text, encoding="utf-8")
        with pytest.raises(SettingsError, match=where):
            load_settings(path)
