"""The city's own evidence: how rare a finding is among comparable properties of this extract.

An indicator's strength orders its own hits but means different things in different cities:
in a city of renters, many flats see households come and go; where families use their local
clinic, a household whose every visit is in another district is rare. Each property hit is
therefore measured against an empirical null: its peer group (same kind of property, and
whether the owner's family lives there) in this extract, and the share `c / N` of peers with a
finding at least as strong (peers where the indicator did not fire count as weaker). Its
evidence is the surprise `ln(N / c)`, in units of `ln(reference)`, so a finding as rare as 1 in
`reference` peers weighs 1, a finding every peer shares weighs 0, and independent rare findings
add up (a sum of log tail shares, i.e. of likelihood ratios against the null). Declared
weights scale that evidence per indicator and are what outcomes recalibrate.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from zonewatch.indicators.settings import RaritySettings

KIND_LABELS = {"apartment": "flats", "house": "houses"}


def peer_groups(base: pd.DataFrame, rule: RaritySettings) -> pd.Series:
    """Peer group label per property_id: kind, and for person-level data whether the owner's
    family is registered there (owner-occupied homes and let ones move differently); a
    group smaller than `min_peers` falls back to the kind alone."""
    kind = base["kind"].fillna("unknown").astype(str)
    exempt = pd.to_numeric(base.get("exempt"), errors="coerce") if "exempt" in base else None
    if exempt is None or exempt.isna().all():
        groups = kind
    else:
        tenure = np.where(exempt.isna(), "", np.where(exempt > 0, "owner-occupied", "let"))
        groups = kind.where(tenure == "", kind + "/" + tenure)
        size = groups.map(groups.value_counts())
        groups = groups.where(size >= rule.min_peers, kind)
    return pd.Series(groups.to_numpy(), index=base["property_id"].astype(str), name="group")


def measure(hits: pd.DataFrame, groups: pd.Series, rule: RaritySettings) -> pd.DataFrame:
    """Property hits with `strength` replaced by the evidence measure (rarity among peers,
    blended with the indicator's own strength by `rule.share`), the raw strength kept in
    `own_strength`, and how rare the finding is appended to its evidence sentence.
    Hits of other entities pass through unchanged."""
    if not len(hits):
        return hits.assign(own_strength=pd.Series(dtype=float))
    out = hits.copy()
    out["own_strength"] = out["strength"].astype(float)
    prop = out["entity_type"] == "property"
    if not prop.any():
        return out
    sub = out.loc[prop, ["entity_id", "indicator_id", "own_strength"]].copy()
    sub["group"] = sub["entity_id"].astype(str).map(groups).fillna("unknown")
    peers = sub["group"].map(groups.value_counts()).fillna(1).astype(float)
    # c = peers in the group with this indicator at least as strong (ties share the count)
    at_least = sub.groupby(["indicator_id", "group"])["own_strength"].rank(
        method="max", ascending=False)
    rarity = np.log(peers / at_least.clip(lower=1)) / math.log(rule.reference)
    evidence = rule.share * rarity + (1 - rule.share) * sub["own_strength"]
    out.loc[prop, "strength"] = evidence.round(6).to_numpy()
    out.loc[prop, "evidence"] = [
        f"{text} ({_rarity_phrase(int(c), int(n), g)})"
        for text, c, n, g in zip(out.loc[prop, "evidence"].astype(str), at_least, peers,
                                 sub["group"], strict=True)]
    return out


def _rarity_phrase(count: int, peers: int, group: str) -> str:
    kind, _, tenure = group.partition("/")
    label = KIND_LABELS.get(kind, f"{kind} properties")
    label = f"{tenure} {label}" if tenure else label
    if count * 2 > peers:
        return f"as strong in {count:,} of {peers:,} {label}: common here"
    return f"as strong in {count:,} of {peers:,} {label}, 1 in {round(peers / count):,}"
