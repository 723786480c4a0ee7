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

from zonewatch.indicators.kinship import OWNER_FAMILY_SQL
from zonewatch.network.graph import clusters, incidence
from zonewatch.network.mobility import (
    baseline_text,
    cluster_movement,
    movement_text,
    mover_links,
)
from zonewatch.network.results import EVIDENCE_COLUMNS, NETWORK_COLUMNS
from zonewatch.network.settings import NetworkSettings


def _flats(con: duckdb.DuckDBPyConnection) -> int:
    """nw_flat_idx(property_id, idx): the graph's nodes (hubs removed); returns how many."""
    con.execute(
        "CREATE OR REPLACE TEMP TABLE nw_flat_idx AS "
        "SELECT property_id, (row_number() OVER (ORDER BY property_id) - 1)::BIGINT AS idx "
        "FROM properties ANTI JOIN nw_hub_props USING (property_id)"
    )
    return con.execute("SELECT count(*) FROM nw_flat_idx").fetchall()[0][0]


def _mover_adjacency(links: pd.DataFrame, n: int) -> sparse.csr_matrix:
    """Edges between flats whose movement exceeds ordinary tenant mobility (weight: moves)."""
    linked = links[links["linked"].astype(bool)] if len(links) else links
    return sparse.csr_matrix(
        (linked["moves"].to_numpy(np.float32) if len(linked) else np.empty(0, np.float32),
         (linked["i"].to_numpy(np.int64) if len(linked) else np.empty(0, np.int64),
          linked["j"].to_numpy(np.int64) if len(linked) else np.empty(0, np.int64))),
        shape=(n, n))


def _adjacency(
    con: duckdb.DuckDBPyConnection, n: int, ties: pd.DataFrame, links: pd.DataFrame,
    p: NetworkSettings,
) -> sparse.csr_matrix:
    adj = _mover_adjacency(links, n)
    own = con.execute(
        "SELECT (dense_rank() OVER (ORDER BY o.owner_id) - 1)::BIGINT AS owner, f.idx "
        "FROM nw_own o JOIN nw_flat_idx f USING (property_id) "
        "ANTI JOIN nw_hub_owners h ON h.owner_id = o.owner_id"
    ).fetchnumpy()
    if len(own["idx"]) == 0:
        return adj.tocsr()
    o = incidence(own["owner"], own["idx"], int(own["owner"].max()) + 1, n)
    shared = sparse.triu(o.T @ o, k=1).tocsr()
    shared.data[:] = p.shared_owner_weight
    adj = adj + shared
    if len(ties):
        con.register("_nw_ties", ties[["a", "b"]])
        try:
            pairs = con.execute(
                """
                WITH first AS (
                    SELECT o.owner_id, min(f.idx) AS idx
                    FROM nw_own o JOIN nw_flat_idx f USING (property_id) GROUP BY o.owner_id
                )
                SELECT fa.idx AS a, fb.idx AS b FROM _nw_ties t
                JOIN first fa ON fa.owner_id = t.a JOIN first fb ON fb.owner_id = t.b
                """
            ).fetchnumpy()
        finally:
            con.unregister("_nw_ties")
        adj = adj + sparse.csr_matrix(
            (np.full(len(pairs["a"]), p.tied_owner_weight, dtype=np.float32),
             (pairs["a"], pairs["b"])), shape=(n, n),
        )
    return adj.tocsr()


def _summaries(
    con: duckdb.DuckDBPyConnection, labels: pd.DataFrame, p: NetworkSettings
) -> pd.DataFrame:
    """Per cluster with evidence: flats, flagged flats and score, movers, owners, officials."""
    con.register("_nw_labels", labels)
    try:
        return con.execute(
            """
            WITH l AS (
                SELECT f.property_id, l.cluster
                FROM _nw_labels l JOIN nw_flat_idx f ON f.idx = l.idx
            ), r AS (
                SELECT l.cluster, r.person_id, r.property_id, r.official_id
                FROM nw_regs r JOIN l USING (property_id)
            ), moves AS (
                SELECT cluster, count(*) FILTER (k >= 2) AS movers, count(*) AS persons
                FROM (SELECT cluster, person_id, count(DISTINCT property_id) AS k
                      FROM r GROUP BY ALL) GROUP BY cluster
            ), flats AS (
                SELECT l.cluster, count(*) AS flats, count(f.property_id) AS flagged,
                       coalesce(sum(f.score), 0) AS flagged_score
                FROM l LEFT JOIN nw_flagged f USING (property_id) GROUP BY l.cluster
            ), ev AS (
                SELECT flats.*, coalesce(moves.movers, 0) AS movers,
                       coalesce(moves.persons, 0) AS persons
                FROM flats LEFT JOIN moves USING (cluster)
                WHERE flats.flagged >= $min_flagged
                   OR (coalesce(moves.movers, 0) >= $min_movers AND flats.flats >= 3)
            ), props AS (
                SELECT l.cluster, list(l.property_id ORDER BY l.property_id) AS properties
                FROM l SEMI JOIN ev USING (cluster) GROUP BY l.cluster
            ), owners AS (
                SELECT l.cluster, list(DISTINCT o.owner_id ORDER BY o.owner_id) AS owners
                FROM l SEMI JOIN ev USING (cluster)
                JOIN nw_own o USING (property_id) GROUP BY l.cluster
            ), off_n AS (
                SELECT cluster, official_id, count(*) AS c
                FROM r SEMI JOIN ev USING (cluster)
                WHERE official_id IS NOT NULL GROUP BY cluster, official_id
            ), off AS (
                SELECT cluster, list({'id': official_id, 'share': share}
                                     ORDER BY share DESC, official_id) AS officials
                FROM (SELECT *, c / sum(c) OVER (PARTITION BY cluster) AS share FROM off_n)
                GROUP BY cluster
            )
            SELECT ev.*, props.properties, owners.owners, off.officials
            FROM ev JOIN props USING (cluster)
            LEFT JOIN owners USING (cluster) LEFT JOIN off USING (cluster)
            """,
            {"min_flagged": int(p.network_min_flagged),
             "min_movers": int(p.network_min_movers)},
        ).df()
    finally:
        con.unregister("_nw_labels")


EXTRA = ["movers", "anomalous"]


def _with_evidence(
    con: duckdb.DuckDBPyConnection, nodes: np.ndarray, n: int, links: pd.DataFrame,
    labels: np.ndarray, p: NetworkSettings,
) -> np.ndarray:
    """Per node of `nodes`: flagged, linked by movement to a flat of its own cluster, or
    holding at least `owner_flat_min_strangers` registrants outside its owners' family.
    The other flats joined only through their owner (an owner's own home) are left out of
    the network's flats; the owner stays a member."""
    ok = np.zeros(n, dtype=bool)
    ok[con.execute(
        "SELECT f.idx FROM nw_flat_idx f JOIN nw_flagged USING (property_id)"
    ).fetchnumpy()["idx"]] = True
    if len(links):
        lk = links[links["linked"].astype(bool)]
        i, j = lk["i"].to_numpy(np.int64), lk["j"].to_numpy(np.int64)
        same = labels[i] == labels[j]
        ok[i[same]] = True
        ok[j[same]] = True
    rest = nodes[~ok[nodes]]
    if len(rest):
        con.register("_nw_rest", pd.DataFrame({"idx": rest}))
        try:
            ok[con.execute(
                f"""
                WITH c AS (SELECT f.idx, f.property_id FROM nw_flat_idx f
                           SEMI JOIN _nw_rest r ON r.idx = f.idx),
                cr AS (SELECT r.* FROM nw_regs r SEMI JOIN c USING (property_id)),
                fam AS (SELECT x.* FROM ({OWNER_FAMILY_SQL} UNION ALL
                        SELECT property_id, owner_id FROM nw_own) x
                        SEMI JOIN c ON c.property_id = x.property_id)
                SELECT c.idx FROM cr r JOIN c USING (property_id)
                ANTI JOIN fam ON fam.property_id = r.property_id
                              AND fam.person_id = r.person_id
                GROUP BY c.idx HAVING count(DISTINCT r.person_id) >= $k
                """,
                {"k": int(p.owner_flat_min_strangers)},
            ).fetchnumpy()["idx"]] = True
        finally:
            con.unregister("_nw_rest")
    return ok[nodes]


def find_networks(
    con: duckdb.DuckDBPyConnection, ties: pd.DataFrame, controllers: set[str],
    p: NetworkSettings,
) -> pd.DataFrame:
    """Scored, explained networks (the contract's columns plus `movers` and `anomalous`),
    best first.

    `ties` are the owner tie pairs and `controllers` the nominee-group controllers found
    by the owners step; both only enrich the graph and the explanation. A network is
    `anomalous` when movement among its flats exceeds the extract's ordinary mobility (see
    `mobility`), its owners form a named nominee group, or two of its owners are tied by
    family or a deviant official (ties no tenant chain makes); only those lift their flats
    (`network_member`).
    """
    empty = pd.DataFrame(columns=[*NETWORK_COLUMNS, *EXTRA])
    n = _flats(con)
    if n == 0:
        return empty
    links = mover_links(con, n, p)
    adj = _adjacency(con, n, ties, links, p)
    labels = clusters(adj, int(p.max_component_properties), float(p.leiden_resolution),
                      iterations=int(p.leiden_iterations))
    keep = np.flatnonzero(np.bincount(labels)[labels] >= 2)
    if int(p.owner_flat_min_strangers) > 0:
        keep = keep[_with_evidence(con, keep, n, links, labels, p)]
    if len(keep) == 0:
        return empty
    s = _summaries(con, pd.DataFrame({"idx": keep, "cluster": labels[keep]}), p)
    moved = cluster_movement(links, labels).set_index("cluster")
    baseline = baseline_text(links)
    by_owner: dict[str, list[tuple[str, bool]]] = {}
    strong: dict[str, set[str]] = {}  # ties no tenant shares: family, a deviant official
    for a, b, family, why in ties[["a", "b", "family", "reasons"]].itertuples(index=False):
        by_owner.setdefault(a, []).append((b, bool(family)))
        by_owner.setdefault(b, []).append((a, bool(family)))
        if family or any("deviant" in str(x) for x in why):
            strong.setdefault(a, set()).add(b)
            strong.setdefault(b, set()).add(a)
    rows = []
    for r in s.itertuples(index=False):
        m = next(moved.loc[[r.cluster]].itertuples(), None) if r.cluster in moved.index else None
        rows.append(_network(r, m, baseline, by_owner, strong, controllers, p))
    out = pd.DataFrame(rows, columns=[*NETWORK_COLUMNS, *EXTRA])
    out = out.sort_values(["score", "network_id"], ascending=[False, True])
    return out.reset_index(drop=True)


def network_evidence(networks: pd.DataFrame, p: NetworkSettings) -> pd.DataFrame:
    """One `broker_network` evidence row per network (entity_type `network`), so the
    register can tie broker networks to live evidence like any other red flag."""
    return pd.DataFrame({
        "entity_type": "network", "entity_id": networks["network_id"],
        "indicator_id": "broker_network", "value": networks["movers"].astype(float),
        "threshold": float(p.network_min_movers), "score": networks["score"],
        "evidence": networks["explanation"],
    }, columns=EVIDENCE_COLUMNS)


def _as_list(value: Any) -> list[Any]:
    """A DuckDB list cell as a Python list (NULL -> empty)."""
    return list(value) if isinstance(value, (list, tuple, np.ndarray)) else []


def _network(
    r: Any, m: Any, baseline: str, ties: dict[str, list[tuple[str, bool]]],
    strong: dict[str, set[str]], controllers: set[str], p: NetworkSettings,
) -> dict[str, Any]:
    owners = _as_list(r.owners)
    officials = [o for o in _as_list(r.officials) if o["share"] >= p.official_member_share]
    members = sorted(owners) + list(r.properties) + sorted(o["id"] for o in officials)
    digest = hashlib.sha1(";".join(sorted(members)).encode("utf-8")).hexdigest()[:12]
    score = float(r.flagged_score) + p.network_mover_weight * np.log2(1 + r.movers)
    plural = "s" if len(owners) != 1 else ""
    text = (f"{int(r.flats)} flats ({int(r.flagged)} flagged) held by {len(owners)} owner{plural}; "
            f"{int(r.movers)} of their {int(r.persons)} registrants moved between these flats; "
            + movement_text(m, baseline))
    heads = [o for o in owners if o in controllers]
    for head in heads[:2]:
        tied = [(b, fam) for b, fam in ties.get(head, []) if b in set(owners)]
        family = sum(fam for _, fam in tied)
        nominees = f"{len(tied)} owner{'s' if len(tied) != 1 else ''}"
        text += (f"; {nominees} tied to owner {head} as nominees"
                 + (f" ({family} by family)" if family else "")
                 + f", {head} controlling the group")
    if officials:
        text += "; " + ", ".join(f"{100 * o['share']:.0f}% approved by official {o['id']}"
                                 for o in officials[:3])
    return {"network_id": f"NW-{digest}", "score": round(score, 4),
            "members": ";".join(members), "explanation": text[0].upper() + text[1:] + ".",
            "movers": int(r.movers),
            "anomalous": bool(heads) or m is not None
            or any(strong.get(o, set()) & set(owners) for o in owners)}
