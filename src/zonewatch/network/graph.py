"""Graph kernels on plain arrays: project registrations onto flats, cluster the flats.

Kept free of DuckDB and pandas so the benchmark can feed it a national-size graph:
sparse matrix products (scipy) for the projection, `connected_components` for the
split, and Leiden (igraph, compiled) only inside components that are still too large.
"""

from __future__ import annotations

import random

import igraph
import numpy as np
from scipy import sparse
from scipy.sparse.csgraph import connected_components


def incidence(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> sparse.csr_matrix:
    """A 0/1 rows x cols matrix with a one wherever (row, col) occurs."""
    m = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n_rows, n_cols)
    )
    m.sum_duplicates()
    m.data[:] = 1.0
    return m


def _row_pairs(b: sparse.csr_matrix) -> tuple[np.ndarray, np.ndarray]:
    """All (lo, hi) column pairs within each row of a 0/1 matrix, rows grouped by degree."""
    deg = np.diff(b.indptr)
    los, his = [], []
    for d in np.unique(deg[deg >= 2]):
        rows = np.flatnonzero(deg == d)
        cols = b.indices[b.indptr[rows][:, None] + np.arange(d)]  # (rows, d), sorted
        i, j = np.triu_indices(int(d), k=1)
        los.append(cols[:, i].ravel())
        his.append(cols[:, j].ravel())
    if not los:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(los).astype(np.int64), np.concatenate(his).astype(np.int64)


def shared_persons(
    persons: np.ndarray, props: np.ndarray, n_props: int, minimum: int
) -> sparse.csr_matrix:
    """Upper-triangular flat x flat counts of persons registered at both, kept where
    >= minimum.

    Persons registered at a single flat cannot link flats, so they are dropped first: the
    cost grows with the movers, not with the city. `persons` may be any ids; non-negative
    integer codes are used as they are (no sort).
    """
    if len(persons) == 0:
        return sparse.csr_matrix((n_props, n_props), dtype=np.float32)
    if persons.dtype.kind not in "iu" or persons.min() < 0:
        persons = np.unique(persons, return_inverse=True)[1]
    rows = np.bincount(persons)
    keep = rows[persons] >= 2  # a cheap first cut: more than one registration
    b = incidence(persons[keep], props[keep], len(rows), n_props)
    b.sort_indices()
    lo, hi = _row_pairs(b)
    keys, counts = np.unique(lo * n_props + hi, return_counts=True)
    ok = counts >= minimum
    keys, counts = keys[ok], counts[ok].astype(np.float32)
    return sparse.csr_matrix((counts, (keys // n_props, keys % n_props)),
                             shape=(n_props, n_props))


def _leiden(sub: sparse.coo_matrix, n: int, resolution: float, seed: int,
            iterations: int) -> np.ndarray:
    g = igraph.Graph(n=n, edges=np.column_stack([sub.row, sub.col]).tolist())
    random.seed(seed)  # igraph draws from Python's random: same input, same split
    part = g.community_leiden(
        objective_function="modularity", weights=sub.data.astype(float).tolist(),
        resolution=resolution, n_iterations=iterations,
    )
    return np.asarray(part.membership)


def clusters(
    adj: sparse.csr_matrix, max_size: int, resolution: float, seed: int = 7,
    iterations: int = 2, rounds: int = 4,
) -> np.ndarray:
    """A cluster label per node: connected components, split by Leiden while too large.

    A community still above `max_size` after a split is split again (up to `rounds`
    times, or until Leiden finds nothing to split); what remains is kept whole.
    """
    sym = (adj + adj.T).tocsr()
    _, labels = connected_components(sym, directed=False)
    settled: set[int] = set()
    for _ in range(rounds):
        sizes = np.bincount(labels)
        big = [c for c in np.flatnonzero(sizes > max_size) if c not in settled]
        if not big:
            break
        next_label = int(labels.max()) + 1
        order = np.argsort(labels, kind="stable")
        starts = np.concatenate([[0], np.cumsum(sizes)])
        for comp in big:
            nodes = order[starts[comp]:starts[comp + 1]]
            sub = sparse.triu(sym[nodes][:, nodes], k=1).tocoo()
            membership = _leiden(sub, len(nodes), resolution, seed, iterations)
            if membership.max() == 0:
                settled.add(int(comp))  # nothing to split: keep it whole
                continue
            labels[nodes] = next_label + membership
            next_label += int(membership.max()) + 1
    return labels
