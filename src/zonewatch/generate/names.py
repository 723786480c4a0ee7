"""Name pools for synthetic persons: Kazakh and Russian names with gendered forms.

Names are pulled once from mimesis (locales KK and RU) into one vocabulary; persons store
integer codes into it so that millions of rows never hold Python strings until writing.
Surnames come in male/female pairs (Ахметов/Ахметова) and every male first name has its
patronymic forms (Нурлан -> Нурланович/Нурлановна), so families stay consistent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from mimesis import Locale, Person

# Central Asian and Chinese nationals: a few Latin/Cyrillic forms as migration records hold them.
CHINESE_SURNAMES = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Zhao", "Huang", "Zhou", "Wu"]
CHINESE_MALE = ["Wei", "Jun", "Hao", "Lei", "Tao", "Yong", "Qiang", "Jie", "Ming", "Bo"]
CHINESE_FEMALE = ["Fang", "Na", "Xiu", "Jing", "Li", "Yan", "Min", "Hui", "Ying", "Juan"]

POOLS = ("kk", "ru", "zh")


def female_surname(male: str) -> str:
    """The female form of a Russian-style surname (Ахметов -> Ахметова, Быстрицкий -> -ая)."""
    if male.endswith(("ов", "ев", "ёв", "ин", "ын")):
        return male + "а"
    if male.endswith(("ский", "цкий")):
        return male[:-2] + "ая"
    if male.endswith("ой"):
        return male[:-2] + "ая"
    return male


def patronymic_forms(father: str) -> tuple[str, str]:
    """Male and female patronymic from a father's first name (Абай -> Абаевич/Абаевна)."""
    if father.endswith(("й", "ь")):
        stem = father[:-1] + "е"
    elif father.endswith(("а", "я")):
        stem = father[:-1] + "ае" if father.endswith("а") else father[:-1] + "е"
    elif father.endswith(("и", "у", "ы", "е", "о", "і", "ү", "ұ", "ә")):
        stem = father + "е"
    else:
        stem = father + "о"
    return stem + "вич", stem + "вна"


@dataclass
class NamePool:
    """Codes into the vocabulary for one origin (kk, ru, zh)."""

    surname_m: np.ndarray
    surname_f: np.ndarray
    first_m: np.ndarray
    first_f: np.ndarray
    patr_m: np.ndarray  # aligned with first_m; -1 where no patronymic is used
    patr_f: np.ndarray


@dataclass
class NameBank:
    """One vocabulary of strings and per-origin pools of codes into it."""

    vocab: list[str] = field(default_factory=list)
    pools: dict[str, NamePool] = field(default_factory=dict)
    _index: dict[str, int] = field(default_factory=dict)
    female_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    patr_m_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))
    patr_f_of: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int32))

    def code(self, text: str) -> int:
        """The vocabulary code of a string, adding it when new."""
        found = self._index.get(text)
        if found is None:
            found = len(self.vocab)
            self.vocab.append(text)
            self._index[text] = found
        return found

    def codes(self, texts: list[str]) -> np.ndarray:
        return np.array([self.code(t) for t in texts], dtype=np.int32)


def _clean(names: list[str]) -> list[str]:
    return sorted({n.strip() for n in names if n and n.strip() and " " not in n.strip()})


def build_name_bank() -> NameBank:
    """Pull the KK and RU name lists once, derive gendered forms and patronymics."""
    bank = NameBank()
    for origin, locale in (("kk", Locale.KK), ("ru", Locale.RU)):
        data = Person(locale)._dataset
        male_surnames = _clean(data["surnames"]["male"])
        first_m = _clean(data["names"]["male"])
        first_f = _clean(data["names"]["female"])
        forms = [patronymic_forms(f) for f in first_m]
        bank.pools[origin] = NamePool(
            surname_m=bank.codes(male_surnames),
            surname_f=bank.codes([female_surname(s) for s in male_surnames]),
            first_m=bank.codes(first_m),
            first_f=bank.codes(first_f),
            patr_m=bank.codes([m for m, _ in forms]),
            patr_f=bank.codes([f for _, f in forms]),
        )
    none = np.full(len(CHINESE_MALE), -1, dtype=np.int32)
    bank.pools["zh"] = NamePool(
        surname_m=bank.codes(CHINESE_SURNAMES),
        surname_f=bank.codes(CHINESE_SURNAMES),
        first_m=bank.codes(CHINESE_MALE),
        first_f=bank.codes(CHINESE_FEMALE),
        patr_m=none,
        patr_f=none,
    )
    size = len(bank.vocab)
    bank.female_of = np.arange(size, dtype=np.int32)
    bank.patr_m_of = np.full(size, -1, np.int32)
    bank.patr_f_of = np.full(size, -1, np.int32)
    for pool in bank.pools.values():
        bank.female_of[pool.surname_m] = pool.surname_f
        bank.patr_m_of[pool.first_m] = pool.patr_m
        bank.patr_f_of[pool.first_m] = pool.patr_f
    return bank
