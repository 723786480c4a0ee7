"""Broker networks: clusters of flats tied by people moving between them and by owners.

The graph's nodes are flats (legitimate hubs removed); edges join flats that registered
the same persons, flats of one owner and flats of owners tied as a nominee group.
Officials are attributes of a network, never edges: one official serves thousands of
flats. Clusters with evidence (several flagged flats, or people moving among flats) are
kept, scored and explained; a network's id is a hash of its sorted members.
"""

from __future__ import annotations

import hashlib
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse

from zonewatch.network.graph import clusters, incidence, shared_persons
from zonewatch.network.results import NETWORK_COLUMNS


def _flats(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """nw_flat_idx(property_id, idx): the graph's nodes; returns idx by property_id."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE nw_flat_idx AS "
        "SELECT property_id, (row_number() OVER (ORDER BY property_id) - 1)::BIGINT AS idx "
        "FROM properties WHERE property_id NOT IN (SELECT property_id FROM nw_hub_props)"
    )
    ids = con.execute("SELECT property_id FROM nw_flat_idx ORDER BY idx").df()["property_id"]
    return pd.Series(np.arange(len(ids)), index=ids.to_numpy())


def _adjacency(
    con: duckdb.DuckDBPyConnection, flats: pd.Series, ties: pd.DataFrame, p: dict[str, Any]
) -> sparse.csr_matrix:
    n = len(flats)
    regs = con.execute(
        "SELECT (dense_rank() OVER (ORDER BY r.person_id) - 1)::BIGINT AS person, f.idx "
        "FROM nw_regs r JOIN nw_flat_idx f USING (property_id)"
    ).fetchnumpy()
    low = min(int(p["min_shared_persons"]), int(p["flagged_shared_persons"]))
    adj = shared_persons(regs["person"], regs["idx"], n, low)
    if low < int(p["min_shared_persons"]):
        # below the general minimum, keep only links between two flagged flats
        flagged = np.zeros(n, dtype=bool)
        flagged[con.execute(
            "SELECT f.idx FROM nw_flat_idx f JOIN nw_flagged USING (property_id)"
        ).fetchnumpy()["idx"]] = True
        coo = adj.tocoo()
        keep = (coo.data >= p["min_shared_persons"]) | (flagged[coo.row] & flagged[coo.col])
        adj = sparse.csr_matrix((coo.data[keep], (coo.row[keep], coo.col[keep])), shape=(n, n))
    own = con.execute(
        "SELECT (dense_rank() OVER (ORDER BY o.owner_id) - 1)::BIGINT AS owner, f.idx, "
        "o.owner_id FROM nw_own o JOIN nw_flat_idx f USING (property_id) "
        "WHERE o.owner_id NOT IN (SELECT owner_id FROM nw_hub_owners)"
    ).fetchnumpy()
    if len(own["idx"]) == 0:
        return adj.tocsr()
    o = incidence(own["owner"], own["idx"], int(own["owner"].max()) + 1, n)
    shared = (o.T @ o).tocsr()
    shared.setdiag(0)
    shared.eliminate_zeros()
    shared.data[:] = p["shared_owner_weight"]
    adj = adj + shared
    if len(ties):
        first: dict[str, int] = {}
        for owner, idx in zip(own["owner_id"].tolist(), own["idx"].tolist(), strict=True):
            first.setdefault(owner, idx)
        pairs = [(first[a], first[b]) for a, b in zip(ties["a"], ties["b"], strict=True)
                 if a in first and b in first]
        if pairs:
            a, b = np.array(pairs).T
            adj = adj + sparse.csr_matrix(
                (np.full(len(a), p["tied_owner_weight"], dtype=np.float32), (a, b)),
                shape=(n, n),
            )
    return adj.tocsr()


def _summaries(con: duckdb.DuckDBPyConnection, labels: pd.DataFrame) -> pd.DataFrame:
    con.register("_nw_labels", labels)
    try:
        return con.execute(
            """
            WITH r AS (
                SELECT l.cluster, r.person_id, r.property_id, r.official_id
                FROM nw_regs r JOIN _nw_labels l USING (property_id)
            ), moves AS (
                SELECT cluster, count(*) FILTER (k >= 2) AS movers, count(*) AS persons
                FROM (SELECT cluster, person_id, count(DISTINCT property_id) AS k
                      FROM r GROUP BY ALL) GROUP BY cluster
            ), off_n AS (
                SELECT cluster, official_id, count(*) AS c
                FROM r WHERE official_id IS NOT NULL GROUP BY cluster, official_id
            ), off AS (
                SELECT *, c / sum(c) OVER (PARTITION BY cluster) AS share FROM off_n
            ), flats AS (
                SELECT l.cluster, count(*) AS flats, count(f.property_id) AS flagged,
                       coalesce(sum(f.score), 0) AS flagged_score,
                       list(l.property_id ORDER BY l.property_id) AS properties
                FROM _nw_labels l LEFT JOIN nw_flagged f USING (property_id) GROUP BY ALL
            ), owners AS (
                SELECT l.cluster, list(DISTINCT o.owner_id ORDER BY o.owner_id) AS owners
                FROM _nw_labels l JOIN nw_own o USING (property_id) GROUP BY ALL
            )
            SELECT flats.*, coalesce(moves.movers, 0) AS movers,
                   coalesce(moves.persons, 0) AS persons, owners.owners,
                   (SELECT list({'id': official_id, 'share': share} ORDER BY share DESC,
                                official_id)
                    FROM off WHERE off.cluster = flats.cluster) AS officials
            FROM flats LEFT JOIN moves USING (cluster) LEFT JOIN owners USING (cluster)
            """
        ).df()
    finally:
        con.unregister("_nw_labels")


def find_networks(
    con: duckdb.DuckDBPyConnection, ties: pd.DataFrame, p: dict[str, Any]
) -> pd.DataFrame:
    """Scored, explained networks with the contract's columns, best first."""
    flats = _flats(con)
    if len(flats) == 0:
        return pd.DataFrame(columns=NETWORK_COLUMNS)
    adj = _adjacency(con, flats, ties, p)
    labels = clusters(adj, int(p["max_component_properties"]), float(p["leiden_resolution"]))
    sizes = np.bincount(labels)
    keep = sizes[labels] >= 2
    frame = pd.DataFrame({"property_id": flats.index[keep], "cluster": labels[keep]})
    if frame.empty:
        return pd.DataFrame(columns=NETWORK_COLUMNS)
    s = _summaries(con, frame)
    evident = (s["flagged"] >= p["network_min_flagged"]) | (
        (s["movers"] >= p["network_min_movers"]) & (s["flats"] >= 3)
    )
    s = s[evident].reset_index(drop=True)
    by_owner: dict[str, list[tuple[str, bool]]] = {}
    for a, b, family in ties[["a", "b", "family"]].itertuples(index=False):
        by_owner.setdefault(a, []).append((b, bool(family)))
    rows = [_network(r, by_owner, p) for r in s.itertuples(index=False)]
    out = pd.DataFrame(rows, columns=NETWORK_COLUMNS)
    return out.sort_values(["score", "network_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def _as_list(value: Any) -> list[Any]:
    """A DuckDB list cell as a Python list (NULL -> empty)."""
    return list(value) if isinstance(value, (list, tuple, np.ndarray)) else []


def _network(
    r: Any, ties: dict[str, list[tuple[str, bool]]], p: dict[str, Any]
) -> dict[str, Any]:
    owners = _as_list(r.owners)
    officials = [o for o in _as_list(r.officials) if o["share"] >= p["official_member_share"]]
    members = sorted(owners) + list(r.properties) + sorted(o["id"] for o in officials)
    digest = hashlib.sha1(";".join(sorted(members)).encode("utf-8")).hexdigest()[:12]
    score = float(r.flagged_score) + p["network_mover_weight"] * np.log2(1 + r.movers)
    text = (f"{int(r.movers)} of {int(r.persons)} people moved among {int(r.flats)} flats "
            f"({int(r.flagged)} flagged) held by {len(owners)} owners")
    inside = set(owners)
    inner = [(a, b, fam) for a in owners for b, fam in ties.get(a, []) if b in inside]
    if inner:
        family = [(a, b) for a, b, fam in inner if fam]
        text += (f"; {len(inner)} owner pairs tied as nominees"
                 + (f" ({len(family)} by family, e.g. {family[0][0]} and {family[0][1]})"
                    if family else ""))
    if officials:
        text += "; " + ", ".join(f"{100 * o['share']:.0f}% approved by official {o['id']}"
                                 for o in officials[:3])
    return {"network_id": f"NW-{digest}", "score": round(score, 4),
            "members": ";".join(members), "explanation": text[0].upper() + text[1:] + "."}
