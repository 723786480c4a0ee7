"""`rank_people`: the network room's entry point for the analysis runner."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Mapping
from typing import Any

import duckdb
import pandas as pd

from zonewatch.network import base
from zonewatch.network.approvals import build_approvals
from zonewatch.network.hits import entity_hits
from zonewatch.network.inputs import require
from zonewatch.network.networks import find_networks, network_evidence
from zonewatch.network.officials import rank_offices, rank_officials
from zonewatch.network.owners import rank_owners
from zonewatch.network.results import NETWORK_COLUMNS, PeopleResults
from zonewatch.network.settings import NetworkSettings, network_settings

PERSON_LEVEL = ("properties", "registrations")


def rank_people(
    con: duckdb.DuckDBPyConnection, as_of: dt.date | str,
    settings: NetworkSettings | Mapping[str, Any] | None = None,
) -> PeopleResults:
    """Rank owners, officials and offices and find broker networks on the as-of date.

    `con` holds the ingested contract tables plus the inputs declared in inputs.yaml
    (`network.inputs`: property scores, the entity indicators' hits, the kinship tables),
    built by the analysis; a missing one raises MissingInput. `settings` are the parsed
    settings, or overrides (plain values) of the defaults in settings.yaml. Steps whose
    optional contract tables are absent are listed in `skipped` with the reason, and their
    frames stay empty.
    """
    p = settings if isinstance(settings, NetworkSettings) else network_settings(settings)
    day = dt.date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    result = PeopleResults()
    missing = [t for t in PERSON_LEVEL if not base.has_table(con, t)]
    if missing:
        result.skipped.append(
            f"owners, officials, offices, networks: no person-level data "
            f"(table {', '.join(missing)} absent)"
        )
        return result
    require(con)  # the analysis' tables: a missing one is an error, never a fallback
    clock = time.perf_counter()
    base.build_flagged(con, p)
    base.build_registrations(con, day, p)
    base.build_ownerships(con, day)
    base.build_hubs(con, p)
    result.timings["setup"] = time.perf_counter() - clock
    clock = time.perf_counter()
    hits = entity_hits(con)
    base.build_owner_flagged(con, day, p)
    evidence: list[pd.DataFrame] = []  # the runner's indicator_hits carry the YAML hits
    if build_approvals(con, day, p):
        result.officials, official_ev = rank_officials(con, hits, p)
        result.offices, office_ev = rank_offices(con, hits, p)
        evidence += [official_ev, office_ev]
    else:
        result.skipped.append("officials, offices: no approvals with an official_id in the window")
    deviant = {o for o, ind in zip(result.officials["official_id"].tolist(),
                                   result.officials["indicators"].tolist(), strict=True)
               if "official_flagged_share" in str(ind)}
    result.timings["officials"] = time.perf_counter() - clock
    clock = time.perf_counter()
    ties = pd.DataFrame(columns=["a", "b", "weight", "reasons", "family", "named"])
    if base.has_table(con, "ownerships"):
        result.owners, owner_ev, ties = rank_owners(con, hits, p, deviant)
        evidence.append(owner_ev)
    else:
        result.skipped.append("owners: no ownerships table")
    result.timings["owners"] = time.perf_counter() - clock
    clock = time.perf_counter()
    heads = {o for o, ind in zip(result.owners["owner_id"].tolist(),
                                 result.owners["indicators"].tolist(), strict=True)
             if "owner_nominee_controller" in str(ind)}
    networks = find_networks(con, ties, heads, p)
    evidence.append(network_evidence(networks, p))
    result.networks = networks[NETWORK_COLUMNS]
    result.network_flags = networks[["network_id", "anomalous"]].reset_index(drop=True)
    result.timings["networks"] = time.perf_counter() - clock
    frames = [e for e in evidence if len(e)]
    if frames:
        result.evidence = pd.concat(frames, ignore_index=True)
    return result
