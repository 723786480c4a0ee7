"""Family-name folding in SQL: gender forms of one surname map to one stem.

Declared as data (suffix -> replacement), turned into nested `regexp_replace` calls so that
the same SQL runs on DuckDB and Spark (no regex back-references, whose syntax differs).
"""

from __future__ import annotations

# Longest first; applied in order to lower-cased names, only at the end of the word.
SURNAME_FOLDS: tuple[tuple[str, str], ...] = (
    ("ская", "ск"), ("ский", "ск"), ("цкая", "цк"), ("цкий", "цк"),
    ("ова", "ов"), ("ёва", "ев"), ("ева", "ев"), ("ина", "ин"), ("ына", "ын"),
    ("ұлы", ""), ("улы", ""), ("қызы", ""), ("кызы", ""),
    ("skaya", "sk"), ("skiy", "sk"), ("skii", "sk"), ("sky", "sk"), ("ski", "sk"),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("yna", "yn"),
    ("uly", ""), ("ula", ""), ("kyzy", ""), ("qyzy", ""),
)
# Patronymic endings: what is left is the father's first name (Нурланович -> нурлан).
PATRONYMIC_FOLDS: tuple[tuple[str, str], ...] = (
    ("овна", ""), ("евна", ""), ("ична", ""), ("ович", ""), ("евич", ""), ("ич", ""),
    ("ұлы", ""), ("улы", ""), ("қызы", ""), ("кызы", ""),
    ("ovna", ""), ("evna", ""), ("ovich", ""), ("evich", ""), ("ichna", ""),
    ("uly", ""), ("kyzy", ""), ("qyzy", ""),
)


def norm_sql(column: str) -> str:
    """Lower-cased, trimmed, with ё written as е."""
    return f"replace(lower(trim({column})), 'ё', 'е')"


def fold_sql(column: str, folds: tuple[tuple[str, str], ...]) -> str:
    """SQL expression folding `column` by the suffix table; normalise it with `norm_sql`."""
    expr = column
    # one suffix per name: the first matching rule wins, so use a CASE over the suffixes
    cases = " ".join(
        f"WHEN {expr} LIKE '%{suffix}' AND length({expr}) > {len(suffix) + 1} "
        f"THEN substr({expr}, 1, length({expr}) - {len(suffix)}) || '{repl}'"
        for suffix, repl in folds
    )
    return f"CASE {cases} ELSE {expr} END"
