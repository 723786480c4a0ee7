"""Ties between owners of flagged flats: the evidence that several owners act as one.

Nominee owners (relatives or front persons holding flats for one controller) show up
as family ties, the same persons registered across their flats, the same approving
officials and activity on the same days. Each signal has a declared weight; a pair is
tied when the weights add up to `tie_min_weight`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse

from zonewatch.network.base import has_table
from zonewatch.network.kinship import first_name_stem, patronymic_stem, surname_stem


@dataclass
class Ties:
    """Owner pairs (i < j as owner ids) with weights and the reasons behind them."""

    pairs: pd.DataFrame  # a, b, weight, reasons (list[str]), kind ('declared'/'inferred'/...)
    parents: dict[str, int]  # owner -> how many tied owners are their children or spouse


def _incidence(rows: pd.Series, cols: pd.Series, n_rows: int) -> sparse.csr_matrix:
    codes, _ = pd.factorize(cols)
    data = np.ones(len(rows), dtype=np.float64)
    m = sparse.csr_matrix((data, (rows.to_numpy(), codes)), shape=(n_rows, max(len(_), 1)))
    m.data[:] = 1.0  # duplicates collapse to presence
    return m


def _upper_pairs(m: sparse.spmatrix, minimum: float) -> pd.DataFrame:
    m = sparse.triu(m, k=1).tocoo()
    keep = m.data >= minimum
    return pd.DataFrame({"i": m.row[keep], "j": m.col[keep], "v": m.data[keep]})


def _name_pairs(names: pd.DataFrame, p: dict[str, Any]) -> list[tuple[int, int, float, str, int]]:
    """Pairs tied by names: (i, j, weight, reason, parent_index or -1)."""
    out: list[tuple[int, int, float, str, int]] = []
    names = names.assign(
        stem=names["last_name"].map(surname_stem),
        pat=names["patronymic"].map(patronymic_stem),
        first=names["first_name"].map(first_name_stem),
    )
    for _, grp in names[names["stem"] != ""].groupby("stem"):
        if len(grp) < 2 or len(grp) > 50:  # very common surnames say nothing
            continue
        rows = grp.to_dict("records")
        for x in range(len(rows)):
            for y in range(x + 1, len(rows)):
                a, b = rows[x], rows[y]
                i, j = sorted((a["idx"], b["idx"]))
                if a["pat"] and a["pat"] == b["first"]:
                    out.append((i, j, p["tie_weight_inferred_family"],
                                "parent and child by name (inferred)", b["idx"]))
                elif b["pat"] and b["pat"] == a["first"]:
                    out.append((i, j, p["tie_weight_inferred_family"],
                                "parent and child by name (inferred)", a["idx"]))
                elif a["pat"] and a["pat"] == b["pat"]:
                    out.append((i, j, p["tie_weight_inferred_family"],
                                "siblings by name (inferred)", -1))
                else:
                    out.append((i, j, p["tie_weight_surname"], "same surname (inferred)", -1))
    return out


def _declared_pairs(
    con: duckdb.DuckDBPyConnection, index: pd.Series, p: dict[str, Any]
) -> list[tuple[int, int, float, str, int]]:
    if not has_table(con, "relations"):
        return []
    rel = con.execute("SELECT person_id, relative_id, relation FROM relations").df()
    rel = rel[rel["person_id"].isin(index.index) & rel["relative_id"].isin(index.index)]
    out = []
    for a, b, kind in rel.itertuples(index=False):
        ia, ib = int(index[a]), int(index[b])
        if ia == ib:
            continue
        parent = {"child": ia, "parent": ib, "spouse": min(ia, ib)}.get(kind, -1)
        out.append((min(ia, ib), max(ia, ib), p["tie_weight_declared_family"],
                    f"{kind} (declared)", parent))
    return out


def find_ties(
    con: duckdb.DuckDBPyConnection, owners: list[str], p: dict[str, Any]
) -> Ties:
    """Tie signals among the given owners (owners of flagged, non-hub flats)."""
    index = pd.Series(np.arange(len(owners)), index=owners)
    n = len(owners)
    con.register("_nw_cand", pd.DataFrame({"owner_id": owners, "idx": np.arange(n)}))
    acts = con.execute(
        """
        SELECT c.idx, r.person_id, r.official_id, r.start_date
        FROM _nw_cand c JOIN nw_own o USING (owner_id)
        JOIN nw_regs r USING (property_id)
        WHERE o.property_id NOT IN (SELECT property_id FROM nw_hub_props)
          AND r.person_id <> o.owner_id
        """
    ).df()
    names = con.execute(
        """
        SELECT c.idx, p.last_name, p.first_name, p.patronymic
        FROM _nw_cand c JOIN persons p ON p.person_id = c.owner_id
        """
    ).df() if has_table(con, "persons") else pd.DataFrame(
        columns=["idx", "last_name", "first_name", "patronymic"])
    con.unregister("_nw_cand")

    found: list[tuple[int, int, float, str, int]] = []
    if len(acts):
        rows = acts["idx"]
        persons = _incidence(rows, acts["person_id"], n)
        shared = _upper_pairs(persons @ persons.T, p["tie_shared_registrants"])
        found += [(i, j, p["tie_weight_shared_registrants"], f"{int(v)} shared registrants", -1)
                  for i, j, v in shared.itertuples(index=False)]
        days = _incidence(rows, acts["start_date"].astype(str), n)
        active = np.asarray(days.sum(axis=1)).ravel()
        same_days = _upper_pairs(days @ days.T, p["tie_shared_days"])
        # busy flats meet on some days by chance: require most of the quieter one's days
        fewer = np.minimum(active[same_days["i"]], active[same_days["j"]])
        same_days = same_days[same_days["v"] >= p["tie_shared_days_share"] * fewer]
        found += [(i, j, p["tie_weight_same_days"], f"activity on {int(v)} same days", -1)
                  for i, j, v in same_days.itertuples(index=False)]
        off = acts.dropna(subset=["official_id"])
        if len(off):
            codes, _ = pd.factorize(off["official_id"])
            counts = sparse.csr_matrix(
                (np.ones(len(off)), (off["idx"].to_numpy(), codes)), shape=(n, len(_))
            )
            norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
            norms[norms == 0] = 1.0
            unit = sparse.diags(1.0 / norms) @ counts
            similar = _upper_pairs(unit @ unit.T, p["tie_official_similarity"] - 1e-9)
            # a weak signal alone: one official serves thousands of flats
            found += [(i, j, p["tie_weight_same_officials"], "same approving officials", -1)
                      for i, j, _v in similar.itertuples(index=False)]
    found += _name_pairs(names, p)
    found += _declared_pairs(con, index, p)
    return _combine(found, owners, p)


def _combine(
    found: list[tuple[int, int, float, str, int]], owners: list[str], p: dict[str, Any]
) -> Ties:
    if not found:
        empty = pd.DataFrame(columns=["a", "b", "weight", "reasons", "family"])
        return Ties(empty, {})
    df = pd.DataFrame(found, columns=["i", "j", "w", "reason", "parent"])
    df["family"] = df["reason"].str.contains("declared|inferred", regex=True) & ~df[
        "reason"
    ].str.startswith("same surname")
    # family signals overlap (declared and inferred say the same): count the strongest once
    df["w_family"] = df["w"].where(df["family"], 0.0)
    df["w_other"] = df["w"].where(~df["family"], 0.0)
    grouped = df.groupby(["i", "j"]).agg(
        w_family=("w_family", "max"), w_other=("w_other", "sum"),
        reasons=("reason", list), family=("family", "any"),
    ).reset_index()
    grouped["weight"] = grouped["w_family"] + grouped["w_other"]
    grouped = grouped[grouped["weight"] >= p["tie_min_weight"]]
    tied = set(zip(grouped["i"], grouped["j"], strict=True))
    parents: dict[str, int] = {}
    for i, j, parent in df.loc[df["parent"] >= 0, ["i", "j", "parent"]].itertuples(index=False):
        if (i, j) in tied:
            parents[owners[parent]] = parents.get(owners[parent], 0) + 1
    names = np.asarray(owners, dtype=object)
    pairs = pd.DataFrame({
        "a": names[grouped["i"].to_numpy()], "b": names[grouped["j"].to_numpy()],
        "weight": grouped["weight"].to_numpy(), "reasons": grouped["reasons"].to_numpy(),
        "family": grouped["family"].to_numpy(),
    })
    return Ties(pairs, parents)
