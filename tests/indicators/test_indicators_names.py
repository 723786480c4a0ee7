"""Surname and patronymic folding, evaluated by DuckDB as the indicators use it."""

from __future__ import annotations

import duckdb
import pytest

from zonewatch.engine.dialect import translate
from zonewatch.indicators.names import (
    PATRONYMIC_FOLDS,
    SURNAME_FOLDS,
    fold_sql,
    norm_sql,
    patronymic_stem,
    surname_stem,
)


def _fold(name: str, folds=SURNAME_FOLDS, dialect_check: bool = False) -> str:
    sql = f"SELECT {fold_sql('n', folds)} FROM (SELECT {norm_sql('x')} AS n FROM (SELECT ? AS x))"
    if dialect_check:
        assert "CASE" in translate(sql.replace("?", "'a'"), "spark")
    with duckdb.connect() as con:
        return con.execute(sql, [name]).fetchall()[0][0]


@pytest.mark.parametrize(("a", "b"), [
    ("Ахметов", "Ахметова"), ("Алиев", "Алиева"), ("Пушкин", "Пушкина"),
    ("Достоевский", "Достоевская"), ("Троцкий", "Троцкая"), ("Королёв", "Королева"),
    ("Akhmetov", "Akhmetova"), ("Aliyev", "Aliyeva"), ("Kowalski", "Kowalskaya"),
    ("Нурланұлы", "Нурланқызы"), ("Serikuly", "Serikkyzy"), (" ахметов ", "АХМЕТОВА"),
])
def test_gender_forms_share_a_stem(a, b):
    assert _fold(a) == _fold(b)


@pytest.mark.parametrize(("a", "b"), [("Ахметов", "Ахмедов"), ("Ким", "Ли"), ("Ivanov", "Petrov")])
def test_different_surnames_stay_apart(a, b):
    assert _fold(a) != _fold(b)


@pytest.mark.parametrize("patronymic", ["Нурланович", "Нурлановна", "Нурланұлы", "Нурланкызы"])
def test_patronymic_folds_to_the_fathers_name(patronymic):
    assert _fold(patronymic, PATRONYMIC_FOLDS) == "нурлан"


def test_fold_sql_translates_for_spark():
    _fold("Ахметова", dialect_check=True)


NAMES = ["Ахметов", "Ахметова", "Ахметулы", "Ахметкызы", "Королёв", "Королёва", "Akhmetova",
         "Kowalskaya", "Serikuly", "Нурланұлы", "Нурланқызы", " ИВАНОВА ", "Ли", "Лиева", "Ким",
         "Серикович", "Сериковна", "Ильич", "Ilyich", "Бекзатов", "Думанова", "Ova"]


def test_python_and_sql_folds_agree():
    """The network room folds names in Python, the indicators in SQL: one table, one result."""
    with duckdb.connect() as con:
        for folds, stem in ((SURNAME_FOLDS, surname_stem), (PATRONYMIC_FOLDS, patronymic_stem)):
            sql = f"SELECT {fold_sql('n', folds)} FROM (SELECT {norm_sql('x')} AS n FROM " \
                  "(SELECT unnest(?) AS x))"
            assert [r[0] for r in con.execute(sql, [NAMES]).fetchall()] == [stem(n) for n in NAMES]
    assert surname_stem("Ахметов") == surname_stem("Ахметова") == "ахметов"
    assert surname_stem("Ахметулы") == surname_stem("Ахметкызы") == "ахмет"
    assert patronymic_stem("Сериковна") == patronymic_stem("Серикулы") == "серик"
