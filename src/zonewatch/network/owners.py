"""Owners ranked by the flagged flats they hold or control through nominees.

An owner's own score is the share-weighted sum of their flagged properties' scores.
Owners of flagged flats tied to each other (see `ties`) form a nominee group; its
controller (the member most tied to the others, a parent of nominees first) carries the
whole group's score, so the person behind the front owners ranks above them.
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from zonewatch.network.results import EVIDENCE_COLUMNS, OWNER_COLUMNS
from zonewatch.network.ties import Ties, find_ties


def _base(con: duckdb.DuckDBPyConnection, p: dict[str, Any]) -> pd.DataFrame:
    return con.execute(
        """
        SELECT o.owner_id,
               count(DISTINCT o.property_id) AS n_props,
               count(DISTINCT f.property_id) AS n_flagged,
               sum(o.share * f.score) AS flagged_score,
               sum(o.share * s.score) FILTER (f.property_id IS NULL) AS other_score,
               string_agg(DISTINCT f.property_id, ';' ORDER BY f.property_id) AS flagged_ids
        FROM nw_own o
        LEFT JOIN nw_flagged f USING (property_id)
        LEFT JOIN nw_pscore s USING (property_id)
        WHERE o.owner_id NOT IN (SELECT owner_id FROM nw_hub_owners)
          AND o.property_id NOT IN (SELECT property_id FROM nw_hub_props)
        GROUP BY o.owner_id
        """
    ).df().assign(
        own=lambda d: d["flagged_score"].fillna(0.0)
        + p["unflagged_weight"] * d["other_score"].fillna(0.0)
    )


def _groups(owners: list[str], ties: Ties) -> np.ndarray:
    """Group label per owner: connected components of the tie graph."""
    idx = {o: i for i, o in enumerate(owners)}
    a = ties.pairs["a"].map(idx).to_numpy(dtype=np.int64)
    b = ties.pairs["b"].map(idx).to_numpy(dtype=np.int64)
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(len(owners), len(owners)))
    return connected_components(graph, directed=False)[1]


def _describe_flagged(row: pd.Series) -> str:
    ids = (row["flagged_ids"] or "").split(";")
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return (f"owns {int(row['n_flagged'])} flagged of {int(row['n_props'])} properties "
            f"({shown}; flagged score {row['flagged_score']:.2f})")


def rank_owners(
    con: duckdb.DuckDBPyConnection, p: dict[str, Any]
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Ranked owners, their evidence rows and the tie pairs used (for networks)."""
    base = _base(con, p)
    cand = base.loc[base["n_flagged"] > 0, "owner_id"].tolist()
    ties = find_ties(con, cand, p)
    base = base.set_index("owner_id")
    base["group"] = -1
    base["role"] = ""
    evidence: list[dict[str, Any]] = []
    notes: dict[str, list[str]] = {o: [] for o in base.index}
    indicators: dict[str, list[str]] = {o: [] for o in base.index}
    bonus = pd.Series(0.0, index=base.index)

    for o in cand:
        row = base.loc[o]
        indicators[o].append("owner_flagged_properties")
        notes[o].append(_describe_flagged(row))
        evidence.append(_ev(o, "owner_flagged_properties", row["n_flagged"], 1,
                            row["flagged_score"], _describe_flagged(row)))
    if len(ties.pairs):
        labels = _groups(cand, ties)
        partners = _partners(ties)
        for g in np.unique(labels):
            members = [cand[i] for i in np.flatnonzero(labels == g)]
            if len(members) < 2:
                continue
            controller = max(members, key=lambda m: (
                ties.parents.get(m, 0), partners[m]["weight"], base.at[m, "own"], m))
            nominees = [m for m in members if m != controller]
            total = float(base.loc[members, "flagged_score"].sum())
            flats = int(base.loc[members, "n_flagged"].sum())
            bonus[controller] = float(base.loc[nominees, "own"].sum())
            why = "; ".join(
                f"{m} ({', '.join(partners[controller]['why'].get(m, ['via the group']))})"
                for m in nominees[:6]
            ) + (f" and {len(nominees) - 6} more" if len(nominees) > 6 else "")
            text = (f"controls a group of {len(members)} owners holding {flats} flagged flats "
                    f"(group score {total:.2f}): {why}")
            indicators[controller].append("owner_nominee_controller")
            notes[controller].append(text)
            evidence.append(_ev(controller, "owner_nominee_controller", len(nominees), 1,
                                total, text))
            for m in nominees:
                reasons = partners[m]["why"].get(controller, ["via the group"])
                text = f"likely nominee of {controller} ({', '.join(reasons)})"
                indicators[m].append("owner_nominee")
                notes[m].append(text)
                evidence.append(_ev(m, "owner_nominee", 1, 1, base.at[m, "own"], text))
    base["score"] = base["own"] + bonus
    out = base.reset_index()
    out = out[(out["score"] > 0) | (out["n_flagged"] > 0)]
    out = out.sort_values(["score", "owner_id"], ascending=[False, True]).reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["properties"] = out["n_flagged"].astype("int64")
    out["indicators"] = out["owner_id"].map(lambda o: ";".join(indicators[o]))
    out["explanation"] = [
        _sentence(o, notes[o], r) for o, r in zip(out["owner_id"], out.itertuples(), strict=True)
    ]
    out["score"] = out["score"].round(4)
    return out[OWNER_COLUMNS], pd.DataFrame(evidence, columns=EVIDENCE_COLUMNS), ties.pairs


def _sentence(owner: str, notes: list[str], row: Any) -> str:
    if notes:
        return f"Owner {owner} " + "; ".join(notes) + "."
    return (f"Owner {owner} holds {int(row.n_props)} properties, none flagged "
            f"(their scores add up to {row.other_score or 0:.2f}).")


def _partners(ties: Ties) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for a, b, w, reasons in ties.pairs[["a", "b", "weight", "reasons"]].itertuples(index=False):
        for x, y in ((a, b), (b, a)):
            entry = out.setdefault(x, {"weight": 0.0, "why": {}})
            entry["weight"] += w
            entry["why"][y] = list(reasons)
    return out


def _ev(entity: str, indicator: str, value: Any, threshold: Any, score: Any,
        text: str) -> dict[str, Any]:
    return {"entity_type": "owner", "entity_id": entity, "indicator_id": indicator,
            "value": float(value), "threshold": float(threshold),
            "score": round(float(score), 4), "evidence": text}
