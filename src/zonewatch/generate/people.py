"""Families and single persons with consistent names, ages and declared relations.

A household is a contiguous block of persons: head, spouse, children and, in big households,
the head's parents. Surnames take the gender form of the family name, children's
patronymics come from the father's first name, and the head's from the grandfather's.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from zonewatch.generate.state import City

HEAD, SPOUSE, CHILD, GRANDPARENT = 0, 1, 2, 3
ORIGIN_OF_CITIZENSHIP = {0: None, 1: "kk", 2: "kk", 3: "kk", 4: "ru", 5: "zh"}


@dataclass
class Households:
    """Persons of households: member ids, household of each member, role, and the heads."""

    first: np.ndarray  # person id of each household's head
    size: np.ndarray
    members: np.ndarray  # person ids, grouped by household
    household: np.ndarray  # household index of each member
    role: np.ndarray
    age: np.ndarray

    @property
    def heads(self) -> np.ndarray:
        return self.first


def _origins(city: City, citizenship: np.ndarray) -> np.ndarray:
    """0 kk, 1 ru, 2 zh per household."""
    origin = np.where(city.rng.random(len(citizenship)) < 0.62, 0, 1)
    origin[np.isin(citizenship, [1, 2, 3])] = 0
    origin[citizenship == 4] = 1
    origin[citizenship == 5] = 2
    return origin


def _pick(codes_by_origin: list[np.ndarray], origin: np.ndarray, rng: np.random.Generator,
          index: np.ndarray | None = None) -> np.ndarray:
    """A code per row from the origin's list (by given index modulo length, or at random)."""
    out = np.empty(len(origin), dtype=np.int32)
    for o, codes in enumerate(codes_by_origin):
        m = origin == o
        idx = index[m] % len(codes) if index is not None else rng.integers(0, len(codes), m.sum())
        out[m] = codes[idx]
    return out


def make_households(city: City, sizes: np.ndarray, home: np.ndarray, citizenship: np.ndarray,
                    declare_share: float = 0.7, min_head_age: int = 22) -> Households:
    """Create households of the given sizes living in `home` districts; declare relations."""
    rng, bank = city.rng, city.names
    h = len(sizes)
    sizes = sizes.astype(np.int64)
    total = int(sizes.sum())
    hh = np.repeat(np.arange(h), sizes)
    offset = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    pos = np.arange(total) - offset[hh]

    couple = (sizes >= 2) & (rng.random(h) < np.where(sizes == 2, 0.7, 0.85))
    n_gp = np.where((sizes >= 6) & (rng.random(h) < 0.5), 1 + (sizes >= 8), 0)
    role = np.full(total, CHILD, np.int8)
    role[pos == 0] = HEAD
    role[(pos == 1) & couple[hh]] = SPOUSE
    role[pos >= (sizes - n_gp)[hh]] = GRANDPARENT
    role[pos == 0] = HEAD

    head_male = np.where(couple, True, np.where(sizes == 1, rng.random(h) < 0.45,
                                                 rng.random(h) < 0.15))
    head_age = np.where(sizes == 1, rng.integers(19, 82, h), rng.integers(min_head_age, 66, h))
    age = np.empty(total, np.int64)
    age[role == HEAD] = head_age
    sp = role == SPOUSE
    age[sp] = np.clip(head_age[hh[sp]] - rng.integers(-2, 7, sp.sum()), 18, 90)
    ch = role == CHILD
    max_child = np.clip(head_age - 19, 0, 30)
    age[ch] = (rng.random(ch.sum()) * (max_child[hh[ch]] + 1)).astype(np.int64)
    gp = role == GRANDPARENT
    age[gp] = np.clip(head_age[hh[gp]] + rng.integers(21, 33, gp.sum()), 40, 98)

    male = rng.random(total) < 0.5
    male[role == HEAD] = head_male
    male[sp] = ~head_male[hh[sp]]
    gp_first = gp & (pos == (sizes - n_gp)[hh])
    male[gp] = False
    male[gp_first] = True  # the first grandparent is the head's father

    origin_h = _origins(city, citizenship)
    origin = origin_h[hh]
    pools = [bank.pools[o] for o in ("kk", "ru", "zh")]
    fam = rng.integers(0, 1 << 30, h)
    surname = np.where(
        male,
        _pick([p.surname_m for p in pools], origin, rng, fam[hh]),
        _pick([p.surname_f for p in pools], origin, rng, fam[hh]),
    )
    own_name = sp & (rng.random(total) < 0.15)
    surname[own_name] = _pick([p.surname_f for p in pools], origin[own_name], rng)

    first_idx = rng.integers(0, 1 << 30, total)
    first = np.where(male, _pick([p.first_m for p in pools], origin, rng, first_idx),
                     _pick([p.first_f for p in pools], origin, rng, first_idx))
    # the father whose name forms a patronymic: children -> head if male, else random;
    # head -> the grandfather if present, else random; others random
    father_idx = rng.integers(0, 1 << 30, total)
    head_pos = offset[hh]
    child_of_father = ch & head_male[hh]
    father_idx[child_of_father] = first_idx[head_pos[child_of_father]]
    gfather = np.flatnonzero(gp_first)
    father_idx[head_pos[gfather]] = first_idx[gfather]
    patronymic = np.where(male, _pick([p.patr_m for p in pools], origin, rng, father_idx),
                          _pick([p.patr_f for p in pools], origin, rng, father_idx))

    days = age * 365 + rng.integers(0, 365, total)
    birth = city.as_of - days.astype("timedelta64[D]")
    ids = city.add_persons(male=male, birth=birth, surname=surname, first=first,
                           patronymic=patronymic, citizenship=citizenship[hh], home=home[hh])
    first_id = ids[offset] if h else ids[:0]

    declared = (rng.random(h) < declare_share)[hh]
    head_id = ids[head_pos]
    m = sp & declared
    city.add_relations(head_id[m], ids[m], 0)
    m = ch & declared
    city.add_relations(head_id[m], ids[m], 1)
    spouse_of = np.full(h, -1, np.int64)
    spouse_of[hh[sp]] = ids[sp]
    m = ch & declared & (spouse_of[hh] >= 0)
    city.add_relations(spouse_of[hh[m]], ids[m], 1)
    m = gp & declared
    city.add_relations(head_id[m], ids[m], 2)
    return Households(first=first_id, size=sizes, members=ids, household=hh, role=role, age=age)


def make_loners(city: City, n: int, home: np.ndarray, citizenship: np.ndarray,
                age_lo: int = 18, age_hi: int = 60) -> np.ndarray:
    """Unrelated adults (students, migrants, hostel guests, fictitious registrants)."""
    rng, bank = city.rng, city.names
    male = rng.random(n) < 0.55
    origin = _origins(city, citizenship)
    pools = [bank.pools[o] for o in ("kk", "ru", "zh")]
    idx = rng.integers(0, 1 << 30, n)
    surname = np.where(male, _pick([p.surname_m for p in pools], origin, rng, idx),
                       _pick([p.surname_f for p in pools], origin, rng, idx))
    first = np.where(male, _pick([p.first_m for p in pools], origin, rng),
                     _pick([p.first_f for p in pools], origin, rng))
    fidx = rng.integers(0, 1 << 30, n)
    patronymic = np.where(male, _pick([p.patr_m for p in pools], origin, rng, fidx),
                          _pick([p.patr_f for p in pools], origin, rng, fidx))
    age = rng.integers(age_lo, age_hi + 1, n)
    birth = city.as_of - (age * 365 + rng.integers(0, 365, n)).astype("timedelta64[D]")
    return city.add_persons(male=male, birth=birth, surname=surname, first=first,
                            patronymic=patronymic, citizenship=citizenship, home=home)


def foreign_mix(city: City, n: int, share: float) -> np.ndarray:
    """Citizenship codes: KAZ, or with probability `share` one of UZB, KGZ, TJK, RUS, CHN."""
    c = np.zeros(n, np.int8)
    f = city.rng.random(n) < share
    c[f] = city.rng.choice([1, 2, 3, 4, 5], f.sum(), p=[0.35, 0.25, 0.15, 0.15, 0.10])
    return c
