"""Family ties inferred from names when the civil registry's `relations` are absent.

Kazakh and Russian surnames change with sex (Ахметов / Ахметова, Ахметулы / Ахметкызы)
and a child's patronymic is built from the father's first name (Серик -> Серикович,
Сериковна, Серикулы, Серикқызы). We reduce both to a stem so relatives meet on one key.
"""

from __future__ import annotations

import re

# Longest suffix first; each entry strips a gendered or patronymic ending to the stem.
SURNAME_SUFFIXES = (
    "ская", "ский", "цкая", "цкий", "skaya", "skiy", "skii", "sky",
    "ова", "ева", "ёва", "ина", "ына", "ov", "ova", "ev", "eva", "in", "ina",
    "ов", "ев", "ёв", "ин", "ын",
)
PATRONYMIC_SUFFIXES = (
    "овна", "евна", "ична", "ович", "евич", "ич", "кызы", "қызы", "улы", "ұлы",
    "ovna", "evna", "ichna", "ovich", "evich", "ich", "kyzy", "kizi", "uly", "ulu",
)
_CLEAN = re.compile(r"[^0-9a-zа-яёәғқңөұүһі]+")


def _clean(name: object) -> str:
    """Lower-case letters and digits only; anything that is not a string (None, NaN) is ''."""
    return _CLEAN.sub("", name.strip().lower()) if isinstance(name, str) else ""


def _strip(word: str, suffixes: tuple[str, ...]) -> str:
    for suffix in sorted(suffixes, key=len, reverse=True):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def surname_stem(last_name: object) -> str:
    """A sex-independent family key: 'Ахметова' and 'Ахметов' both give 'ахмет'."""
    word = _clean(last_name)
    word = _strip(word, PATRONYMIC_SUFFIXES)
    return _strip(word, SURNAME_SUFFIXES)


def patronymic_stem(patronymic: object) -> str:
    """The father's first name as a stem: 'Сериковна' -> 'серик'."""
    return _strip(_clean(patronymic), PATRONYMIC_SUFFIXES)


def first_name_stem(first_name: object) -> str:
    """A first name cleaned to compare with a child's patronymic stem."""
    return _clean(first_name)
