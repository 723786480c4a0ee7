"""Family-name folding: gender forms of one surname map to one stem, a patronymic to the
father's first name.

One table of rules (suffix -> replacement), used two ways: as nested SQL `CASE` for the
indicators (the same SQL runs on DuckDB and Spark: no regex back-references, whose syntax
differs) and as plain Python for the network room's owner ties. A test checks the two agree.
"""

from __future__ import annotations

# Checked in order (longest first) on lower-cased names with ё written as е; the first
# suffix that matches at the end of the word, leaving at least MIN_REMAINDER letters, is
# replaced. One rule per name.
SURNAME_FOLDS: tuple[tuple[str, str], ...] = (
    ("ская", "ск"), ("ский", "ск"), ("цкая", "цк"), ("цкий", "цк"),
    ("ова", "ов"), ("ева", "ев"), ("ина", "ин"), ("ына", "ын"),
    ("қызы", ""), ("кызы", ""), ("ұлы", ""), ("улы", ""),
    ("skaya", "sk"), ("skiy", "sk"), ("skii", "sk"), ("sky", "sk"), ("ski", "sk"),
    ("kyzy", ""), ("qyzy", ""), ("kizi", ""),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("yna", "yn"),
    ("uly", ""), ("ulu", ""), ("ula", ""),
)
# Patronymic endings: what is left is the father's first name (Нурланович -> нурлан).
PATRONYMIC_FOLDS: tuple[tuple[str, str], ...] = (
    ("овна", ""), ("евна", ""), ("ична", ""), ("ович", ""), ("евич", ""),
    ("қызы", ""), ("кызы", ""), ("ұлы", ""), ("улы", ""), ("ич", ""),
    ("ovich", ""), ("evich", ""), ("ichna", ""), ("ovna", ""), ("evna", ""),
    ("kyzy", ""), ("qyzy", ""), ("kizi", ""), ("ich", ""), ("uly", ""), ("ulu", ""),
)
MIN_REMAINDER = 2  # letters a fold must leave (Ли-ева is no stem)


def norm_sql(column: str) -> str:
    """Lower-cased, trimmed, with ё written as е."""
    return f"replace(lower(trim({column})), 'ё', 'е')"


def fold_sql(column: str, folds: tuple[tuple[str, str], ...]) -> str:
    """SQL expression folding `column` by the suffix table; normalise it with `norm_sql`."""
    cases = " ".join(
        f"WHEN {column} LIKE '%{suffix}' AND length({column}) >= {len(suffix) + MIN_REMAINDER} "
        f"THEN substr({column}, 1, length({column}) - {len(suffix)}) || '{repl}'"
        for suffix, repl in folds
    )
    return f"CASE {cases} ELSE {column} END"


def normalise(name: object) -> str:
    """`norm_sql` in Python; anything that is not a string (None, NaN) is ''."""
    return name.strip().lower().replace("ё", "е") if isinstance(name, str) else ""


def fold(word: str, folds: tuple[tuple[str, str], ...]) -> str:
    """`fold_sql` in Python, on a normalised word."""
    for suffix, repl in folds:
        if word.endswith(suffix) and len(word) >= len(suffix) + MIN_REMAINDER:
            return word[: -len(suffix)] + repl
    return word


def surname_stem(last_name: object) -> str:
    """A sex-independent family key: 'Ахметова' and 'Ахметов' both give 'ахметов'."""
    return fold(normalise(last_name), SURNAME_FOLDS)


def patronymic_stem(patronymic: object) -> str:
    """The father's first name: 'Сериковна' -> 'серик'."""
    return fold(normalise(patronymic), PATRONYMIC_FOLDS)
