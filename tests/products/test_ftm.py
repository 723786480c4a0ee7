"""FollowTheMoney entities parse with `followthemoney`, link up, and mask when asked."""

from __future__ import annotations

import json
from collections import Counter

from followthemoney import model

from zonewatch.products import ftm
from zonewatch.service.masking import Masker


def _parse(run, masker=None) -> list:  # noqa: ANN001
    proxies = [model.get_proxy(json.loads(line)) for line in ftm.lines(run, masker)]
    ids = [p.id for p in proxies]
    assert len(ids) == len(set(ids)), "entity ids are unique"
    known = set(ids)
    for proxy in proxies:
        for prop in proxy.schema.required:
            assert proxy.get(prop), (proxy.schema.name, prop)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in known, (proxy.schema.name, prop.name)
    return proxies


def test_entities_of_the_flagged_properties(run, ranked, extract) -> None:
    proxies = _parse(run)
    kinds = Counter(p.schema.name for p in proxies)
    flagged = set(ranked.loc[ranked["flagged"], "property_id"])
    assert kinds["RealEstate"] == len(flagged)
    owners = extract("ownerships")
    assert kinds["Ownership"] == owners["property_id"].isin(flagged).sum()
    regs = extract("registrations")
    mine = regs[regs["property_id"].isin(flagged)]
    links = [p for p in proxies if p.schema.name == "UnknownLink"
             and p.first("role", quiet=True).startswith("registered")]
    assert len(links) == len(mine)
    persons = extract("persons").set_index("person_id")
    someone = persons.loc[mine["person_id"].iloc[0]]
    people = [p for p in proxies if p.schema.name == "Person"]
    named = [p for p in people if someone["last_name"] in p.get("lastName")]
    assert named, "registrants appear with their names"
    if isinstance(someone["iin"], str):
        assert any(someone["iin"] in p.get("idNumber") for p in named)
    assert kinds["Membership"] > 0 and kinds["PublicBody"] > 0
    assert {p.schema.name for p in proxies} >= {"Person", "RealEstate", "Ownership",
                                                "UnknownLink", "Membership"}


def test_same_extract_same_ids(run) -> None:
    first = [json.loads(x)["id"] for x in ftm.lines(run)]
    assert first == [json.loads(x)["id"] for x in ftm.lines(run)]


def test_masked_export_has_no_personal_data(run, extract) -> None:
    text = b"".join(ftm.lines(run, Masker(b"k" * 32))).decode("utf-8")
    persons = extract("persons")
    regs = extract("registrations")
    seen = persons[persons["person_id"].isin(regs["person_id"])]
    assert not [p for p in seen["person_id"] if f'"{p}"' in text or f" {p} " in text]
    iins = [i for i in seen["iin"].dropna() if i in text]
    assert not iins
    assert "ps_" in text
    _parse(run, Masker(b"k" * 32))
