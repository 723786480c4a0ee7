"""Mover links beyond ordinary tenant mobility, measured on the extract itself.

People moving from one flat to another is normal: tenants change flats every year or two,
and a chain of them passes through many flats, one household per pair of flats. A broker
passes *many* unrelated strangers among the *same* few flats. So two flats are linked by
movement only when the separate moves between them (distinct households arriving on
distinct days) are far more than this extract's own mobility gives a pair of flats that
busy:

- each flat's turnover t = the separate moves it takes part in (households that were also
  registered at another flat, as counted on the same recent registrations);
- ordinary movement spreads a stratum's moves (same building, same district, elsewhere)
  over flat pairs in proportion to (t_A + c)(t_B + c): every flat of the extract can take
  a tenant (`mover_pseudo_count` c), busy flats take more; the pair's own moves are left
  out of its expectation, so a ring is not its own yardstick;
- the chance of the observed moves is a Poisson tail given that the pair shares one at
  all (one shared tenant is what a chain is made of), and a pair is linked when it stays
  below `mover_alpha` divided by the number of pairs tested (Bonferroni over the pairs
  with at least `min_shared_persons` moves: the extract's ordinary pairs link by chance
  with at most that probability in all).
"""

from __future__ import annotations

from typing import Any

import duckdb
import numpy as np
import pandas as pd
from scipy.stats import poisson

from zonewatch.indicators.kinship import household_sql
from zonewatch.network.settings import NetworkSettings

PAIR_COLUMNS = ["i", "j", "persons", "households", "moves", "first_day", "last_day",
                "gap_days", "expected", "p_value", "linked"]


def pair_moves(con: duckdb.DuckDBPyConnection, p: NetworkSettings) -> pd.DataFrame:
    """Flat pairs (graph indices i < j) that recent registrants passed between: persons,
    households (`kinship.household_sql`), separate moves (the smaller of households and distinct
    days of arrival at the later flat), first and last arrival, median days between the
    person's arrivals at the two flats. Owners registered at their own flats are left out."""
    return con.execute(
        f"""
        WITH r AS (
            SELECT r.person_id, f.idx, min(r.start_date) AS start
            FROM nw_regs r JOIN nw_flat_idx f USING (property_id)
            ANTI JOIN nw_own o ON o.property_id = r.property_id AND o.owner_id = r.person_id
            GROUP BY ALL
        ), movers AS (
            SELECT person_id FROM r GROUP BY person_id
            HAVING count(*) >= 2 AND count(*) <= $max_flats
        ), m AS (
            SELECT r.person_id, r.idx, r.start, {household_sql("s.stem", "r.person_id")} AS hh
            FROM r SEMI JOIN movers USING (person_id)
            LEFT JOIN zw_person_stem s ON s.person_id = r.person_id
        ), pr AS (
            SELECT a.idx AS i, b.idx AS j, a.person_id, a.hh,
                   greatest(a.start, b.start) AS moved,
                   abs(date_diff('day', a.start, b.start)) AS gap
            FROM m a JOIN m b ON a.person_id = b.person_id AND a.idx < b.idx
        )
        SELECT i, j, count(DISTINCT person_id) AS persons, count(DISTINCT hh) AS households,
               least(count(DISTINCT hh), count(DISTINCT moved)) AS moves,
               min(moved) AS first_day, max(moved) AS last_day,
               median(gap)::DOUBLE AS gap_days
        FROM pr GROUP BY i, j
        """,
        {"max_flats": int(p.mover_max_flats)},
    ).df()


def _flat_places(con: duckdb.DuckDBPyConnection, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Building and district codes per graph node (unknown ones get their own code)."""
    rows = con.execute(
        "SELECT f.idx, coalesce(p.building_id, '#' || f.property_id) AS b, "
        "coalesce(p.district, '') AS d FROM nw_flat_idx f "
        "JOIN properties p USING (property_id) ORDER BY f.idx"
    ).df()
    building = np.zeros(n, np.int64)
    district = np.zeros(n, np.int64)
    building[rows["idx"].to_numpy()] = pd.factorize(rows["b"])[0]
    district[rows["idx"].to_numpy()] = pd.factorize(rows["d"])[0]
    return building, district


def _pair_mass(w: np.ndarray, group: np.ndarray) -> float:
    """Sum over unordered pairs of nodes within the same group of w_a * w_b."""
    tot = np.bincount(group, weights=w)
    sq = np.bincount(group, weights=w * w)
    return float(((tot * tot) - sq).sum() / 2)


def expected_moves(
    pairs: pd.DataFrame, n: int, building: np.ndarray, district: np.ndarray, c: float
) -> np.ndarray:
    """Moves each pair would share by ordinary mobility (leave-pair-out configuration null
    per stratum: same building, same district, elsewhere)."""
    i, j = pairs["i"].to_numpy(np.int64), pairs["j"].to_numpy(np.int64)
    s = pairs["moves"].to_numpy(float)
    t = np.bincount(i, weights=s, minlength=n) + np.bincount(j, weights=s, minlength=n)
    w = t + c
    same_b = _pair_mass(w, building)
    # pairs in one district but not one building: district pairs minus building pairs
    same_d = _pair_mass(w, district) - same_b
    everything = _pair_mass(w, np.zeros(n, np.int64))
    mass = np.array([same_b, same_d, everything - same_b - same_d])
    stratum = np.where(building[i] == building[j], 0, np.where(district[i] == district[j], 1, 2))
    moves = np.bincount(stratum, weights=s, minlength=3)
    wa, wb = np.maximum(w[i] - s, c), np.maximum(w[j] - s, c)
    m = np.maximum(moves[stratum] - s, 0.0)
    return m * wa * wb / np.maximum(mass[stratum], 1e-12)


def mover_links(con: duckdb.DuckDBPyConnection, n: int, p: NetworkSettings) -> pd.DataFrame:
    """Every flat pair with shared movers, its expectation under ordinary mobility, the
    conditional p-value and whether it is linked (see the module docstring)."""
    pairs = pair_moves(con, p)
    if pairs.empty:
        return pd.DataFrame(columns=PAIR_COLUMNS)
    building, district = _flat_places(con, n)
    lam = expected_moves(pairs, n, building, district, float(p.mover_pseudo_count))
    s = pairs["moves"].to_numpy(float)
    # P(X >= s | X >= 1): a pair that shares one move at all is what a tenant chain is
    with np.errstate(divide="ignore", invalid="ignore"):
        pv = poisson.sf(s - 1, lam) / -np.expm1(-lam)
    pv = np.where(lam > 0, np.minimum(pv, 1.0), 0.0)
    candidate = s >= int(p.min_shared_persons)
    tested = max(1, int(candidate.sum()))
    pairs["expected"] = lam
    pairs["p_value"] = pv
    pairs["linked"] = candidate & (pv <= float(p.mover_alpha) / tested)
    return pairs[PAIR_COLUMNS]


MOVEMENT_COLUMNS = ["cluster", "links", "link_moves", "link_expected", "link_p", "link_gap",
                    "first_day", "last_day"]


def cluster_movement(links: pd.DataFrame, labels: np.ndarray) -> pd.DataFrame:
    """Per cluster, the linked pairs inside it: how many, their strangers (persons), separate
    moves, what ordinary mobility would give them, the smallest p-value, first/last move."""
    if not len(links) or not links["linked"].any():
        return pd.DataFrame(columns=MOVEMENT_COLUMNS)
    lk = links[links["linked"].astype(bool)]
    lk = lk[labels[lk["i"].to_numpy()] == labels[lk["j"].to_numpy()]]
    lk = lk.assign(cluster=labels[lk["i"].to_numpy()], gap_w=lk["gap_days"] * lk["moves"])
    return lk.groupby("cluster").agg(
        links=("moves", "size"), link_moves=("moves", "sum"), gap_w=("gap_w", "sum"),
        link_expected=("expected", "sum"), link_p=("p_value", "min"),
        first_day=("first_day", "min"), last_day=("last_day", "max"),
    ).reset_index().assign(link_gap=lambda d: d["gap_w"] / d["link_moves"])[MOVEMENT_COLUMNS]


def baseline_text(links: pd.DataFrame) -> str:
    """What ordinary movement looks like in this extract, for the explanations."""
    if not len(links):
        return "no flat pairs share movers in this extract"
    single = float((links["moves"] <= 1).mean())
    gap = float(np.nanmedian(links["gap_days"].to_numpy(float)))
    return (f"in this extract {100 * single:.0f}% of the {len(links):,} flat pairs movers link "
            f"share a single move, {gap:.0f} days apart in the median")


def movement_text(m: Any, baseline: str) -> str:
    """Why the flats are tied by movement (or that they are not)."""
    if m is None or not getattr(m, "links", 0):
        return "no movement among these flats beyond this extract's ordinary tenant mobility"
    span = (pd.Timestamp(m.last_day) - pd.Timestamp(m.first_day)).days
    pairs = int(m.links)
    return (f"{int(m.link_moves)} separate moves of strangers between {pairs} "
            f"pair{'s' if pairs != 1 else ''} of these flats within {span} days, "
            f"{m.link_gap:.0f} days apart on average, where this extract's ordinary mobility "
            f"gives flats this busy {m.link_expected:.2g} (p = {m.link_p:.1e}; {baseline})")
