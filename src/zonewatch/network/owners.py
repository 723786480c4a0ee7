"""Owners ranked by the flagged flats they hold or control through nominees.

An owner's own score is the share-weighted sum of their flagged properties' scores.
Owners of flagged flats tied to each other (see `ties`) form a nominee group; its
controller (the member most tied to the others, a parent of nominees first) carries the
whole group's score, so the person behind the front owners ranks above them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse
from scipy.sparse.csgraph import connected_components

from zonewatch.network.results import EVIDENCE_COLUMNS, OWNER_COLUMNS
from zonewatch.network.settings import NetworkSettings
from zonewatch.network.ties import Ties, find_ties


def _base(con: duckdb.DuckDBPyConnection, p: NetworkSettings, victim_aware: bool) -> pd.DataFrame:
    """One row per owner (but institutions): flats, flagged flats and their scores, a plain
    sentence. Landlords are ranked too: a rubber flat among honest ones is still theirs.

    `victim_aware` weighs each flagged flat by the strangers registered there with the
    owner's consent (`nw_owner_flagged`, see `base.build_owner_flagged`); else whole scores.
    """
    flagged, score, weight = (("nw_owner_flagged", "owner_score", "coalesce(c.owner_weight, 1.0)")
                              if victim_aware else ("nw_flagged", "score", "1.0"))
    return con.execute(
        f"""
        WITH o AS (
            SELECT DISTINCT o.owner_id, o.property_id, o.share
            FROM nw_own o
            ANTI JOIN (SELECT owner_id FROM nw_hub_owners WHERE NOT landlord) h
              ON h.owner_id = o.owner_id
            ANTI JOIN (SELECT property_id FROM nw_hub_props WHERE NOT by_landlord) hp
              ON hp.property_id = o.property_id
        ), a AS (
            SELECT o.owner_id, count(*) AS n_props, count(f.property_id) AS n_flagged,
                   coalesce(sum(o.share * f.{score}), 0) AS flagged_score,
                   coalesce(sum(o.share * s.score * {weight})
                            FILTER (f.property_id IS NULL), 0) AS other_score,
                   string_agg(f.property_id, ';' ORDER BY f.property_id) AS flagged_ids,
                   sum(c.no_consent) FILTER (c.no_consent > 0) AS no_consent,
                   string_agg(o.property_id, ';' ORDER BY o.property_id)
                       FILTER (c.no_consent > 0) AS no_consent_ids
            FROM o
            LEFT JOIN {flagged} f ON f.property_id = o.property_id
            LEFT JOIN nw_pscore s ON s.property_id = o.property_id
            LEFT JOIN nw_consent c ON c.property_id = o.property_id
            GROUP BY o.owner_id
        )
        SELECT *, flagged_score + $w * other_score AS own,
               printf('Owner %s holds %d properties, none flagged (their scores add up to '
                      || '%.2f).', owner_id, n_props, other_score) AS plain
        FROM a
        """,
        {"w": float(p.unflagged_weight)},
    ).df()


def _groups(owners: list[str], ties: Ties) -> np.ndarray:
    """Group label per owner: connected components of the tie graph."""
    idx = {o: i for i, o in enumerate(owners)}
    a = ties.pairs["a"].map(idx).to_numpy(dtype=np.int64)
    b = ties.pairs["b"].map(idx).to_numpy(dtype=np.int64)
    graph = sparse.coo_matrix((np.ones(len(a)), (a, b)), shape=(len(owners), len(owners)))
    return connected_components(graph, directed=False)[1]


def _describe_flagged(row: dict[str, Any]) -> str:
    ids = (row["flagged_ids"] or "").split(";")
    shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
    return (f"owns {int(row['n_flagged'])} flagged of {int(row['n_props'])} properties "
            f"({shown}; flagged score {row['flagged_score']:.2f})")


def _exchanging_owners(con: duckdb.DuckDBPyConnection, p: NetworkSettings) -> set[str]:
    """Owners of unflagged flats that exchanged at least `tie_shared_registrants` persons
    with flagged flats: a controller's own flat may look clean while his nominees' fill."""
    rows = con.execute(
        """
        SELECT o.owner_id
        FROM nw_regs a JOIN nw_flagged f ON f.property_id = a.property_id
        JOIN nw_regs b ON b.person_id = a.person_id AND b.property_id <> a.property_id
        JOIN nw_own o ON o.property_id = b.property_id
        WHERE b.property_id NOT IN (SELECT property_id FROM nw_flagged)
          AND b.property_id NOT IN (SELECT property_id FROM nw_hub_props)
        GROUP BY o.owner_id, b.property_id
        HAVING count(DISTINCT a.person_id) >= $k
        """,
        {"k": int(p.tie_shared_registrants)},
    ).fetchall()
    return {r[0] for r in rows}


def _controller(members: list[str], ties: Ties, partners: dict[str, Any],
                rec: dict[str, dict[str, Any]]) -> str:
    """The group member others hang on: parent or spouse of other members first, then the
    anchor of declared family ties, then the most tied, then the highest own score."""
    return max(members, key=lambda m: (ties.parents.get(m, 0), partners[m]["declared"],
                                       partners[m]["weight"], rec[m]["own"], m))


def _nominee_groups(
    cand: list[str], ties: Ties, rec: dict[str, dict[str, Any]], p: NetworkSettings,
    add: Callable[[str, str, float, float, str], None],
) -> dict[str, float]:
    """Groups of tied owners: names each controller and its nominees (through `add`) and
    returns the score each member adds from the group."""
    bonus: dict[str, float] = {}
    labels = _groups(cand, ties)
    partners = _partners(ties)
    order = np.argsort(labels, kind="stable")
    for chunk in np.split(order, np.flatnonzero(np.diff(labels[order])) + 1):
        if len(chunk) < 2:
            continue
        members = [cand[i] for i in chunk]
        flats = sum(int(rec[m]["n_flagged"]) for m in members)
        if flats < p.group_min_flagged_flats:
            continue  # two relatives with a flagged flat each are not yet a ring
        controller = _controller(members, ties, partners, rec)
        nominees = [m for m in members if m != controller]
        total = sum(rec[m]["flagged_score"] for m in members)
        group_own = sum(rec[m]["own"] for m in members)
        bonus[controller] = group_own - rec[controller]["own"]
        why = "; ".join(
            f"{m} ({', '.join(partners[controller]['why'].get(m, ['via the group']))})"
            for m in nominees[:6]
        ) + (f" and {len(nominees) - 6} more" if len(nominees) > 6 else "")
        add(controller, "owner_nominee_controller", len(nominees), total,
            f"controls a group of {len(members)} owners holding {flats} flagged flats "
            f"(group score {total:.2f}): {why}")
        for m in nominees:
            reasons = partners[m]["why"].get(controller, ["via the group"])
            bonus[m] = p.nominee_group_share * (group_own - rec[m]["own"])
            add(m, "owner_nominee", 1, rec[m]["own"] + bonus[m],
                f"likely nominee of {controller} ({', '.join(reasons)}), "
                f"sharing {p.nominee_group_share:.0%} of the rest of the group's score")
    return bonus


def rank_owners(
    con: duckdb.DuckDBPyConnection, hits: pd.DataFrame, p: NetworkSettings,
    deviant: set[str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Ranked owners, their evidence rows and the tie pairs used (for networks).

    `hits` are the owner indicators' YAML hits; their scores add to the owner's own score
    and their sentences to the explanation (their evidence rows stay with the runner).
    `deviant` officials make "the same approving official" a stronger tie.
    """
    full, base = _base(con, p, victim_aware=False), _base(con, p, victim_aware=True)
    mine = hits[hits["entity_type"] == "owner"]
    if len(mine):
        extra = mine.groupby("entity_id")["score"].sum()
        for frame in (full, base):
            frame["own"] += frame["owner_id"].map(extra).fillna(0.0)
    all_ids = base["owner_id"].tolist()
    scored = set(all_ids)  # institutions (universities, state bodies) are not in base
    landlords = {r[0] for r in con.execute(
        "SELECT owner_id FROM nw_hub_owners WHERE landlord").fetchall()}
    # ties and groups look at every flagged flat: a ring's member is no victim, even when
    # its strangers came without consent through the ring's friendly official; landlords
    # (hubs many tenants pass through) stay out of groups
    cand = sorted((set(full.loc[full["n_flagged"] > 0, "owner_id"])
                   | _exchanging_owners(con, p) & scored) - landlords)
    in_cand = set(cand)
    ties = find_ties(con, cand, p, deviant)
    rec: dict[str, dict[str, Any]] = full[full["owner_id"].isin(list(in_cand))].set_index(
        "owner_id").to_dict("index")
    named = Ties(_named_pairs(ties.pairs, _victim_like(full, base)), ties.parents)
    pending: list[tuple[str, str, float, float, str]] = []
    bonus = _nominee_groups(cand, named, rec, p, lambda *a: pending.append(a)) \
        if len(named.pairs) else {}
    in_group = base["owner_id"].isin(list(bonus)).to_numpy()
    base = pd.concat([base[~in_group], full[full["owner_id"].isin(list(bonus))]])
    base = base.set_index("owner_id").loc[all_ids].reset_index()
    evidence: list[dict[str, Any]] = []
    notes: dict[str, list[str]] = {}
    indicators: dict[str, list[str]] = {}

    def add(owner: str, indicator: str, value: float, score: float, text: str) -> None:
        indicators.setdefault(owner, []).append(indicator)
        notes.setdefault(owner, []).append(text)
        evidence.append(_ev(owner, indicator, value, 1, score, text))

    for r in base[base["n_flagged"] > 0].to_dict("records"):
        add(r["owner_id"], "owner_flagged_properties", r["n_flagged"], r["flagged_score"],
            _describe_flagged(r))
    victims = base[(base["no_consent"] > 0) & ~base["owner_id"].isin(list(bonus))]
    for o, n, ids in victims[["owner_id", "no_consent", "no_consent_ids"]].itertuples(
            index=False):
        notes.setdefault(o, []).append(
            f"{int(n)} stranger{'s' if n != 1 else ''} at {ids} registered without the "
            "owner's consent (they count against the approving officials, not the owner)")
    for o, ind, text in mine[["entity_id", "indicator_id", "evidence"]].itertuples(index=False):
        if o in scored:
            indicators.setdefault(o, []).append(ind)
            notes.setdefault(o, []).append(text)
    for args in pending:
        add(*args)
    base["score"] = base["own"].to_numpy() + np.array([bonus.get(o, 0.0) for o in all_ids])
    out = base[(base["score"] > 0) | (base["n_flagged"] > 0)]
    out = out.sort_values(["score", "owner_id"], ascending=[False, True]).reset_index(drop=True)
    out["rank"] = np.arange(1, len(out) + 1)
    out["properties"] = out["n_flagged"].astype("int64")
    ids = out["owner_id"].tolist()
    out["indicators"] = [";".join(indicators.get(o, [])) for o in ids]
    out["explanation"] = [
        f"Owner {o}: " + "; ".join(notes[o]) + "." if o in notes else plain
        for o, plain in zip(ids, out["plain"].tolist(), strict=True)
    ]
    out["score"] = out["score"].round(4)
    return out[OWNER_COLUMNS], pd.DataFrame(evidence, columns=EVIDENCE_COLUMNS), ties.pairs


def _victim_like(full: pd.DataFrame, aware: pd.DataFrame) -> set[str]:
    """Owners whose every flagged flat took its strangers without the owner's consent."""
    flagged = set(full.loc[full["n_flagged"] > 0, "owner_id"])
    return flagged - set(aware.loc[aware["n_flagged"] > 0, "owner_id"])


def _named_pairs(pairs: pd.DataFrame, victims: set[str]) -> pd.DataFrame:
    """Pairs strong enough to name a controller and nominees. A victim-like owner (see
    `_victim_like`) joins a group only by family or shared registrants: the corrupt
    official who filled the flat is no tie to his other clients, nor is a surname."""
    named = pairs[pairs["named"].astype(bool)]
    own_tie = named["family"].astype(bool) | named["reasons"].map(
        lambda r: any("shared registrant" in x for x in r)).astype(bool)
    victim = named["a"].isin(list(victims)) | named["b"].isin(list(victims))
    return named[own_tie | ~victim]


def _partners(ties: Ties) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for a, b, w, reasons in ties.pairs[["a", "b", "weight", "reasons"]].itertuples(index=False):
        for x, y in ((a, b), (b, a)):
            entry = out.setdefault(x, {"weight": 0.0, "declared": 0, "why": {}})
            entry["weight"] += w
            entry["declared"] += any(r.endswith("(declared)") for r in reasons)
            entry["why"][y] = list(reasons)
    return out


def _ev(entity: str, indicator: str, value: Any, threshold: Any, score: Any,
        text: str) -> dict[str, Any]:
    return {"entity_type": "owner", "entity_id": entity, "indicator_id": indicator,
            "value": float(value), "threshold": float(threshold),
            "score": round(float(score), 4), "evidence": text}
