"""Docs that cannot drift: every red flag the network room emits is described (its settings:
tests/test_settings_docs.py)."""

from __future__ import annotations


def test_every_emitted_indicator_is_described(city) -> None:
    from nw_city import AS_OF

    from zonewatch.indicators import load_indicators
    from zonewatch.network import rank_people
    from zonewatch.network.params import catalog

    yaml_ids = {i.id for i in load_indicators()}
    result = rank_people(city.connect(), AS_OF, {"flag_quantile": 0.85})
    emitted = set(result.evidence["indicator_id"])
    for frame in (result.owners, result.officials, result.offices):
        emitted |= {i for cell in frame["indicators"] for i in cell.split(";") if i}
    assert {"owner_nominee_controller", "official_flagged_share", "broker_network"} <= emitted
    assert emitted - yaml_ids <= set(catalog()), emitted - yaml_ids - set(catalog())
    for ind, spec in catalog().items():
        for key in ("entity", "title", "description", "rationale"):
            assert str(spec.get(key) or "").strip(), f"{ind} lacks {key}"
