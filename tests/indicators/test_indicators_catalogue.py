"""The one catalogue of red flags: SQL definitions and the network room's computed ones."""

from __future__ import annotations

import pytest

from zonewatch.indicators import catalogue as catalogue_module
from zonewatch.indicators.catalogue import catalogue
from zonewatch.indicators.spec import IndicatorDefinitionError, load_indicators


def test_both_kinds_are_in_one_catalogue_with_the_definitions_texts() -> None:
    flags = catalogue()
    for ind in load_indicators():
        flag = flags[ind.id]
        assert (flag.title, flag.weight, flag.register, flag.computed_by) == (
            ind.title, ind.weight, ind.register, "sql")
    assert flags["broker_network"].computed_by == "network"
    assert flags["broker_network"].entity == "network"


def test_an_id_defined_twice_or_a_bad_computed_entry_is_an_error(tmp_path, monkeypatch) -> None:
    twice = tmp_path / "computed.yaml"
    twice.write_text("norm_area: {entity: property, title: T, description: D, rationale: R, "
                     "register: [REG-RUBBER-FLATS]}\n", encoding="utf-8")
    monkeypatch.setattr(catalogue_module, "COMPUTED_FILE", twice)
    catalogue.cache_clear()
    try:
        with pytest.raises(IndicatorDefinitionError, match="'norm_area' is defined twice"):
            catalogue()
        twice.write_text("x_flag: {entity: building, title: T, description: D, rationale: R, "
                         "register: []}\n", encoding="utf-8")
        with pytest.raises(IndicatorDefinitionError, match="entity 'building'"):
            catalogue()
        twice.write_text("x_flag: {entity: owner, title: T}\n", encoding="utf-8")
        with pytest.raises(IndicatorDefinitionError, match="x_flag: needs exactly"):
            catalogue()
    finally:
        monkeypatch.undo()
        catalogue.cache_clear()
