"""Shuffle ids before writing so that row order and id numbers carry no truth.

Generation appends groups (families together, planted fraud last); without this step a
detector could find fraud by id range or families by consecutive ids. Properties, persons,
organizations and buildings get random ids; registrations are numbered in processing order
as a registry would number them.
"""

from __future__ import annotations

import numpy as np

from zonewatch.generate.state import City


def _perm(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    """new_id[old] and old_at[new] for a random relabelling of 0..n-1."""
    new_id = rng.permutation(n)
    old_at = np.empty(n, np.int64)
    old_at[new_id] = np.arange(n)
    return new_id, old_at


def _owners(owner: np.ndarray, is_org: np.ndarray, org_new: np.ndarray,
            person_new: np.ndarray) -> np.ndarray:
    out = owner.copy()
    out[is_org] = org_new[owner[is_org]]
    out[~is_org] = person_new[owner[~is_org]]
    return out


def _rows(cols: dict[str, np.ndarray], order: np.ndarray) -> None:
    for k in cols:
        cols[k] = cols[k][order]


def shuffle_ids(city: City, props: dict[str, np.ndarray], persons: dict[str, np.ndarray],
                reg: dict[str, np.ndarray]) -> None:
    """Relabel properties, persons, organizations and buildings everywhere, in place."""
    rng = city.rng
    f = city.final
    p_new, p_old = _perm(rng, len(props["kind"]))
    h_new, h_old = _perm(rng, len(persons["home"]))
    o_new, o_old = _perm(rng, len(f["organizations"]["kind"]))
    nb = int(props["building"].max()) + 1
    b_new, _ = _perm(rng, max(nb, 1))

    _rows(props, p_old)
    props["building"] = np.where(props["building"] >= 0, b_new[props["building"]], -1)
    _rows(persons, h_old)
    _rows(f["organizations"], o_old)

    reg["person"], reg["prop"] = h_new[reg["person"]], p_new[reg["prop"]]
    _rows(reg, np.lexsort((reg["person"], reg["processed"], reg["start"])))
    own = f["ownerships"]
    own["prop"] = p_new[own["prop"]]
    own["owner"] = _owners(own["owner"], own["is_org"], o_new, h_new)
    _rows(own, np.lexsort((own["prop"], own["start"])))
    rel = f["relations"]
    rel["person"], rel["relative"] = h_new[rel["person"]], h_new[rel["relative"]]
    _rows(rel, rng.permutation(len(rel["person"])))
    f["inspections"]["prop"] = p_new[f["inspections"]["prop"]]
    ev = f["service_events"]
    ev["person"] = h_new[ev["person"]]
    _rows(ev, np.argsort(ev["date"], kind="stable"))

    for part in city.owner_labels._parts:
        part["owner"] = _owners(part["owner"], part["is_org"], o_new, h_new)
    for ring in city.rings:
        ring["controller"] = h_new[ring["controller"]]
        ring["owners"] = h_new[ring["owners"]]
        ring["props"] = p_new[ring["props"]]
