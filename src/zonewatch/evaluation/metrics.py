"""Ranking metrics as pure functions over id lists, so they are easy to test by hand.

A ranking is a sequence of ids, most suspicious first. Truth is a set of ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence


def precision_at_k(ranked: Sequence[str], truth: set[str], k: int) -> float:
    """Share of the first k ranked ids that are true; a ranking shorter than k counts misses."""
    if k <= 0:
        return 0.0
    return sum(1 for i in ranked[:k] if i in truth) / k


def average_precision(ranked: Sequence[str], truth: set[str]) -> float:
    """Mean of precision at each true hit's rank, over all true ids (missed ones count 0)."""
    if not truth:
        return 0.0
    hits = 0
    total = 0.0
    seen: set[str] = set()
    for rank, item in enumerate(ranked, start=1):
        if item in truth and item not in seen:
            seen.add(item)
            hits += 1
            total += hits / rank
    return total / len(truth)


def recall_by_group(ranked: Sequence[str], k: int, group_of: Mapping[str, str]) -> dict[str, float]:
    """For each group, the share of its members found in the first k ranked ids."""
    size = Counter(group_of.values())
    found = Counter(group_of[i] for i in set(ranked[:k]) if i in group_of)
    return {g: found[g] / n for g, n in sorted(size.items())}


def count_by_group(ranked: Sequence[str], k: int, group_of: Mapping[str, str]) -> dict[str, int]:
    """For each group, how many of its members sit in the first k ranked ids."""
    found = Counter(group_of[i] for i in set(ranked[:k]) if i in group_of)
    return {g: found.get(g, 0) for g in sorted(set(group_of.values()))}


def ring_recovery(rings: Iterable[set[str]], networks: Iterable[set[str]]) -> tuple[int, int]:
    """(rings whose properties are mostly, >50%, inside one network; rings with properties)."""
    nets = [set(n) for n in networks]
    recovered = total = 0
    for ring in rings:
        if not ring:
            continue
        total += 1
        best = max((len(ring & n) for n in nets), default=0)
        recovered += best / len(ring) > 0.5
    return recovered, total
