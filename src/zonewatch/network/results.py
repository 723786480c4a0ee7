"""The shape of what the network room hands to the analysis runner.

Columns are the data contract's output columns (`contract/run_files.yaml`), so that empty
results (occupancy-only extracts) and full results look exactly alike.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from zonewatch.contract.run_files import columns

OWNER_COLUMNS = columns("owners_ranked.csv")
OFFICIAL_COLUMNS = columns("officials_ranked.csv")
OFFICE_COLUMNS = columns("offices_ranked.csv")
NETWORK_COLUMNS = columns("networks.csv")
EVIDENCE_COLUMNS = columns("evidence.csv")


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
