"""Surname and patronymic folding, evaluated by DuckDB as the indicators use it."""

from __future__ import annotations

import duckdb
import pytest

from zonewatch.engine.dialect import translate
from zonewatch.indicators.names import PATRONYMIC_FOLDS, SURNAME_FOLDS, fold_sql, norm_sql


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
