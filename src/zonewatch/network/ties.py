"""Ties between owners of flagged flats: the evidence that several owners act as one.

Nominee owners (relatives or front persons holding flats for one controller) show up
as family ties, the same persons registered across their flats, the same approving
officials and activity on the same days. Each signal has a declared weight; a pair is
tied when the weights add up to `tie_min_weight`.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import pandas as pd
from scipy import sparse

from zonewatch.indicators.kinship import MIN_STEM_LENGTH, household_sql
from zonewatch.network.base import has_table
from zonewatch.network.settings import NetworkSettings


@dataclass
class Ties:
    """Tied owner pairs with their summed weights and the reasons behind them."""

    # a, b, weight, reasons (list[str]), family (a family tie), named (strong enough to name
    # a controller and nominees; the others only link flats in the network graph)
    pairs: pd.DataFrame
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


def _name_pairs(names: pd.DataFrame, p: NetworkSettings) -> list[tuple[int, int, float, str, int]]:
    """Pairs tied by names: (i, j, weight, reason, parent_index or -1)."""
    if names.empty:
        return []
    names = names.astype({"idx": np.int64}).assign(
        born=pd.to_numeric(names["born"], errors="coerce").to_numpy(float))
    names = names[names["stem"].str.len() >= MIN_STEM_LENGTH]  # a family key (kinship)
    size = names.groupby("stem")["idx"].transform("size")
    names = names[(size >= 2) & (size <= p.surname_group_max)]  # common ones say nothing
    pairs = names.merge(names, on="stem", suffixes=("_a", "_b"))
    pairs = pairs[pairs["idx_a"] < pairs["idx_b"]]
    # names must agree with birth dates where both are known: a parent 15-55 years older,
    # siblings within 25 years (first names are few, so names alone meet by chance)
    gap = (pairs["born_b"] - pairs["born_a"]).to_numpy()  # > 0: a is older
    unknown = np.isnan(gap)
    lo, hi = p.kinship.parent_age_gap
    a_parent = ((pairs["pat_b"] != "") & (pairs["pat_b"] == pairs["first_a"])
                & (unknown | ((gap >= lo) & (gap <= hi))))
    b_parent = ((pairs["pat_a"] != "") & (pairs["pat_a"] == pairs["first_b"])
                & (unknown | ((-gap >= lo) & (-gap <= hi))))
    sibling = ((pairs["pat_a"] != "") & (pairs["pat_a"] == pairs["pat_b"])
               & (unknown | (np.abs(gap) <= p.kinship.sibling_age_gap)))
    family = a_parent | b_parent | sibling
    weight = np.where(family, p.tie_weight_inferred_family, p.tie_weight_surname)
    reason = np.select([a_parent | b_parent, sibling],
                       ["parent and child by name (inferred)", "siblings by name (inferred)"],
                       "same surname (inferred)")
    parent = np.select([a_parent, b_parent], [pairs["idx_a"], pairs["idx_b"]], -1)
    return list(zip(pairs["idx_a"].tolist(), pairs["idx_b"].tolist(), weight.tolist(),
                    reason.tolist(), parent.tolist(), strict=True))


def _declared_pairs(
    con: duckdb.DuckDBPyConnection, p: NetworkSettings
) -> list[tuple[int, int, float, str, int]]:
    """Declared family ties between candidate owners (needs _nw_cand registered)."""
    if not has_table(con, "relations"):
        return []
    rel = con.execute(
        "SELECT a.idx AS ia, b.idx AS ib, r.relation FROM relations r "
        "JOIN _nw_cand a ON a.owner_id = r.person_id "
        "JOIN _nw_cand b ON b.owner_id = r.relative_id WHERE a.idx <> b.idx"
    ).fetchall()
    out = []
    for ia, ib, kind in rel:
        parent = {"child": ia, "parent": ib}.get(kind, -1)
        out.append((min(ia, ib), max(ia, ib), p.tie_weight_declared_family,
                    f"{kind} (declared)", parent))
    return out


def _rowwise_dot(m: sparse.csr_matrix, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    return np.asarray(m[i].multiply(m[j]).sum(axis=1)).ravel()


def _weak_pairs(
    acts: pd.DataFrame, pairs: np.ndarray, n: int, deviant: set[str], p: NetworkSettings
) -> list[tuple[int, int, float, str, int]]:
    """Same approving officials (stronger when one of them is a deviant official) and
    same days of activity, for the given pairs only."""
    i, j = pairs[:, 0], pairs[:, 1]
    out: list[tuple[int, int, float, str, int]] = []
    days = _incidence(acts["idx"], acts["start_date"].astype(str), n)
    active = np.asarray(days.sum(axis=1)).ravel()
    common = _rowwise_dot(days, i, j)
    # busy flats meet on some days by chance: require most of the quieter one's days
    ok = (common >= p.tie_shared_days) & (
        common >= p.tie_shared_days_share * np.minimum(active[i], active[j]))
    out += [(a, b, p.tie_weight_same_days, f"activity on {int(v)} same days", -1)
            for a, b, v in zip(i[ok], j[ok], common[ok], strict=True)]
    off = acts.dropna(subset=["official_id"])
    if len(off):
        codes, uniq = pd.factorize(off["official_id"])
        counts = sparse.csr_matrix(
            (np.ones(len(off)), (off["idx"].to_numpy(), codes)), shape=(n, len(uniq))
        )
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        unit = (sparse.diags(1.0 / norms) @ counts).tocsr()
        cos = _rowwise_dot(unit, i, j)
        ok = cos >= p.tie_official_similarity - 1e-9
        bad = np.isin(np.asarray(uniq, dtype=object), list(deviant))
        both_bad = np.zeros(len(i), dtype=bool)
        if bad.any():
            seen = counts[:, np.flatnonzero(bad)]
            seen.data[:] = 1.0
            both_bad = _rowwise_dot(seen.tocsr(), i, j) > 0
        # a deviant official both owners' flats passed through counts on its own; otherwise
        # the officials must be mostly the same (cosine of their approval counts)
        out += [(a, b, p.tie_weight_same_deviant_official, "same deviant approving official",
                 -1) for a, b in zip(i[both_bad], j[both_bad], strict=True)]
        ok &= ~both_bad
        out += [(a, b, p.tie_weight_same_officials, "same approving officials", -1)
                for a, b in zip(i[ok], j[ok], strict=True)]
    return out


def _separate_moves(
    con: duckdb.DuckDBPyConnection, acts: pd.DataFrame, shared: pd.DataFrame
) -> pd.DataFrame:
    """Adds `moves`: how many separate households, arriving on separate days, a pair's
    shared registrants make up (the smaller of distinct surname stems and distinct days
    of arrival at the second flat). A family moving house, together or one by one, is one;
    strangers passed between a broker's flats count one each."""
    if shared.empty:
        return shared.assign(moves=pd.Series(dtype="int64"))
    con.register("_nw_acts", acts[["idx", "person_id", "start_date"]])
    con.register("_nw_pairs", shared[["i", "j"]])
    try:
        rows = con.execute(
            f"""
            SELECT DISTINCT p_.i, p_.j, a.person_id, greatest(a.start_date, b.start_date)
                   AS arrived, {household_sql("s.stem", "a.person_id")} AS household
            FROM _nw_pairs p_ JOIN _nw_acts a ON a.idx = p_.i
            JOIN _nw_acts b ON b.idx = p_.j AND b.person_id = a.person_id
            LEFT JOIN zw_person_stem s ON s.person_id = a.person_id
            """
        ).df()
    finally:
        con.unregister("_nw_acts")
        con.unregister("_nw_pairs")
    counts = rows.groupby(["i", "j"]).agg(days=("arrived", "nunique"),
                                          households=("household", "nunique")).reset_index()
    out = shared.merge(counts, on=["i", "j"], how="left")
    moves = np.minimum(out["days"].fillna(1), out["households"].fillna(1))
    out["moves"] = np.minimum(moves, out["v"]).astype("int64")
    return out[["i", "j", "v", "moves"]]


def _shared_text(persons: float, moves: int) -> str:
    text = f"{int(persons)} shared registrant{'s' if persons > 1 else ''}"
    return text + (f" in {moves} move{'s' if moves > 1 else ''}" if moves < persons else "")


def find_ties(
    con: duckdb.DuckDBPyConnection, owners: list[str], p: NetworkSettings,
    deviant: set[str] | None = None,
) -> Ties:
    """Tie signals among the given owners (owners of flagged, non-hub flats); `deviant`
    are the officials whose approvals to flagged flats stand out from their peers'."""
    deviant = deviant or set()
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
    # names folded once, by the indicators' tables (indicators.kinship)
    names = con.execute(
        """
        SELECT c.idx, coalesce(s.stem, '') AS stem, coalesce(s.patr_stem, '') AS pat,
               coalesce(s.first_lc, '') AS first,
               year(s.birth_date) + dayofyear(s.birth_date) / 366.0 AS born
        FROM _nw_cand c JOIN zw_person_stem s ON s.person_id = c.owner_id
        """
    ).df()
    declared = _declared_pairs(con, p)
    con.unregister("_nw_cand")

    found: list[tuple[int, int, float, str, int]] = []
    shared = pd.DataFrame(columns=["i", "j", "v"])
    if len(acts):
        persons = _incidence(acts["idx"], acts["person_id"], n)
        shared = _separate_moves(con, acts, _upper_pairs(persons @ persons.T, 1))
        full, w = p.tie_shared_registrants, p.tie_weight_shared_registrants
        found += [(i, j, w * min(1.0, moves / full), _shared_text(v, moves), -1)
                  for i, j, v, moves in shared.itertuples(index=False)]
    found += _name_pairs(names, p)
    found += declared
    # weak signals (an official serves thousands of flats, busy days are shared by chance)
    # are only looked at for pairs that already share something: never quadratic
    if found and len(acts):
        pairs = np.unique(np.array([(f[0], f[1]) for f in found], dtype=np.int64), axis=0)
        found += _weak_pairs(acts, pairs, n, deviant, p)
    return _combine(found, owners, p)


def _combine(
    found: list[tuple[int, int, float, str, int]], owners: list[str], p: NetworkSettings
) -> Ties:
    if not found:
        empty = pd.DataFrame(columns=["a", "b", "weight", "reasons", "family", "named"])
        return Ties(empty, {})
    df = pd.DataFrame(found, columns=["i", "j", "w", "reason", "parent"])
    df["family"] = df["reason"].str.contains("declared|inferred", regex=True) & ~df[
        "reason"
    ].str.startswith("same surname")
    # family signals overlap (declared and inferred say the same): count the strongest once
    df["w_family"] = df["w"].where(df["family"], 0.0)
    df["w_other"] = df["w"].where(~df["family"], 0.0)
    # naming a controller is a heavier claim than linking flats: there a deviant official
    # counts only as much as any shared official
    deviant = df["reason"] == "same deviant approving official"
    df["w_named"] = df["w_other"].where(~deviant, p.tie_weight_same_officials)
    sums = df.groupby(["i", "j"]).agg(w_family=("w_family", "max"), w_other=("w_other", "sum"),
                                      w_named=("w_named", "sum"))
    sums["weight"] = sums["w_family"] + sums["w_other"]
    sums["named"] = sums["w_family"] + sums["w_named"] >= p.tie_min_weight
    sums = sums[sums["weight"] >= p.tie_min_weight]
    df = df.join(sums[["weight", "named"]], on=["i", "j"], how="inner")
    grouped = df.groupby(["i", "j"]).agg(
        weight=("weight", "first"), named=("named", "first"), reasons=("reason", list),
        family=("family", "any"),
    ).reset_index()
    tied = set(zip(grouped["i"], grouped["j"], strict=True))  # parents: any tie counts
    parents: dict[str, int] = {}
    for i, j, parent in df.loc[df["parent"] >= 0, ["i", "j", "parent"]].itertuples(index=False):
        if (i, j) in tied:
            parents[owners[parent]] = parents.get(owners[parent], 0) + 1
    names = np.asarray(owners, dtype=object)
    pairs = pd.DataFrame({
        "a": names[grouped["i"].to_numpy()], "b": names[grouped["j"].to_numpy()],
        "weight": grouped["weight"].to_numpy(), "reasons": grouped["reasons"].to_numpy(),
        "family": grouped["family"].to_numpy(), "named": grouped["named"].to_numpy(),
    })
    return Ties(pairs, parents)
