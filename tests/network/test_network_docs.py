"""Docs that cannot drift: every red flag the network room emits is described (its settings:
tests/test_settings_docs.py)."""

from __future__ import annotations


def test_every_emitted_indicator_is_in_the_catalogue(city) -> None:
    from nw_city import AS_OF

    from zonewatch.indicators.catalogue import catalogue
    from zonewatch.network import rank_people

    result = rank_people(city.connect(), AS_OF, {"flag_quantile": 0.85})
    emitted = set(result.evidence["indicator_id"])
    for frame in (result.owners, result.officials, result.offices):
        emitted |= {i for cell in frame["indicators"] for i in cell.split(";") if i}
    assert {"owner_nominee_controller", "official_flagged_share", "broker_network"} <= emitted
    assert emitted <= set(catalogue()), emitted - set(catalogue())
    computed = {f.id for f in catalogue().values() if f.computed_by == "network"}
    assert {"owner_nominee_controller", "broker_network"} <= computed
    for flag in catalogue().values():
        assert all(str(getattr(flag, key)).strip() for key in ("title", "description",
                                                               "rationale")), flag.id
        assert flag.register, flag.id
