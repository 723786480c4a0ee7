"""The shape of what the network room hands to the analysis runner.

Columns are the data contract's output columns, declared once here so that empty
results (occupancy-only extracts) and full results look exactly alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

OWNER_COLUMNS = ["rank", "owner_id", "score", "properties", "indicators", "explanation"]
OFFICIAL_COLUMNS = ["rank", "official_id", "office_id", "score", "indicators", "explanation"]
OFFICE_COLUMNS = ["rank", "office_id", "score", "indicators", "explanation"]
NETWORK_COLUMNS = ["network_id", "score", "members", "explanation"]
EVIDENCE_COLUMNS = [
    "entity_type", "entity_id", "indicator_id", "value", "threshold", "score", "evidence",
]


def empty_frame(columns: list[str]) -> pd.DataFrame:
    """An empty DataFrame with the given columns."""
    return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})


@dataclass
class PeopleResults:
    """Ranked owners, officials, offices, broker networks and their evidence rows."""

    owners: pd.DataFrame = field(default_factory=lambda: empty_frame(OWNER_COLUMNS))
    officials: pd.DataFrame = field(default_factory=lambda: empty_frame(OFFICIAL_COLUMNS))
    offices: pd.DataFrame = field(default_factory=lambda: empty_frame(OFFICE_COLUMNS))
    networks: pd.DataFrame = field(default_factory=lambda: empty_frame(NETWORK_COLUMNS))
    evidence: pd.DataFrame = field(default_factory=lambda: empty_frame(EVIDENCE_COLUMNS))
    # per network: whether it is anomalous (movement beyond the extract's ordinary tenant
    # mobility, or a named nominee group); only those lift their flats (network_member)
    network_flags: pd.DataFrame = field(
        default_factory=lambda: empty_frame(["network_id", "anomalous"]))
    skipped: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
