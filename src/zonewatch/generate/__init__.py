"""Synthetic cities with planted registration fraud and ground-truth labels.

`generate_city(out, persons, seed, as_of)` writes `out/extract/<table>.csv` (the data
contract) and `out/labels/` (property, owner, official and ring labels, broken rows,
summary.json). See docs/generator.md.
"""

from zonewatch.generate.city import generate_city

__all__ = ["generate_city"]
