"""The IIN algorithm against numbers worked out by hand, and the SQL version against Python."""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import pytest

from zonewatch.contract import iin
from zonewatch.contract.sql import register_macros

# 900515300018: 1990-05-15, digit 7 = 3 (1900s, male).
#   first pass: 9*1 + 0*2 + 0*3 + 5*4 + 1*5 + 5*6 + 3*7 + 0*8 + 0*9 + 0*10 + 1*11 = 96; 96 % 11 = 8
# 850620400402: 1985-06-20, digit 7 = 4 (1900s, female).
#   first pass: 8 + 10 + 0 + 24 + 10 + 0 + 28 + 0 + 0 + 40 + 0 = 120; 120 % 11 = 10 -> second pass
#   8*3 + 5*4 + 0*5 + 6*6 + 2*7 + 0*8 + 4*9 + 0*10 + 0*11 + 4*1 + 0*2 = 134; 134 % 11 = 2
# 85062040044x: first pass 164 % 11 = 10, second pass 142 % 11 = 10 -> no check digit exists.
# 020229500005: 2002-02-29 does not exist (2002 is not a leap year).
# 000229500001?: 2000-02-29 exists; first pass 2*4 + 2*5 + 9*6 + 5*7 + 1*11 = 118 % 11 = 8.
VALID = ["900515300018", "850620400402", "000229500018"]
INVALID = [
    "900515300017",  # wrong check digit
    "850620400401",  # wrong check digit (second pass gives 2)
    *[f"85062040044{d}" for d in range(10)],  # check would be 10 in both passes
    "020229500005",  # no such date
    "900515700018",  # century digit 7 is outside 1..6
    "900515000018",  # century digit 0
    "90051530001",  # 11 digits
    "9005153000180",  # 13 digits
    "90051530001a",  # not a digit
    "",
]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers(number):
    assert iin.validate(number)


@pytest.mark.parametrize("number", INVALID)
def test_invalid_numbers(number):
    assert not iin.validate(number)


def test_birth_date_and_sex_decode():
    assert iin.birth_date("900515300018") == dt.date(1990, 5, 15)
    assert iin.sex("900515300018") == "M"
    assert iin.birth_date("850620400402") == dt.date(1985, 6, 20)
    assert iin.sex("850620400402") == "F"
    assert iin.birth_date("000229500018") == dt.date(2000, 2, 29)
    assert iin.agrees("850620400402", dt.date(1985, 6, 20), "F")
    assert not iin.agrees("850620400402", dt.date(1985, 6, 21), None)
    assert not iin.agrees("850620400402", None, "M")


def test_make_builds_valid_numbers_or_refuses():
    assert iin.make(dt.date(1990, 5, 15), "M", 1) == "900515300018"
    assert iin.make(dt.date(1985, 6, 20), "F", 40) == "850620400402"
    assert iin.make(dt.date(1985, 6, 20), "F", 44) is None


def test_clean_strips_separators():
    assert iin.clean(" 900515-300018 ") == "900515300018"
    assert iin.clean("  ") is None


def test_sql_and_python_agree_on_many_numbers():
    rng = random.Random(7)
    numbers = ["".join(rng.choice("0123456789") for _ in range(12)) for _ in range(20000)]
    for _ in range(5000):
        born = dt.date(rng.randint(1800, 2099), rng.randint(1, 12), rng.randint(1, 28))
        made = iin.make(born, rng.choice("MF"), rng.randint(0, 9999))
        if made:
            numbers += [made, made[:11] + str((int(made[11]) + 1) % 10)]
    for _ in range(20000):  # odd dates (day 29-31, month 0/13, any digit 7) with a right check
        first11 = f"{rng.randint(0, 99):02d}{rng.randint(0, 13):02d}{rng.randint(28, 32):02d}"
        first11 += f"{rng.randint(0, 9)}{rng.randint(0, 9999):04d}"
        check = iin.check_digit(first11)
        if check is not None:
            numbers.append(f"{first11}{check}")
    numbers += VALID + INVALID + [None, " 00515300018", "+00515300018", "-00515300018"]
    con = duckdb.connect()
    register_macros(con)
    con.execute("CREATE TABLE t (x VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?)", [(n,) for n in numbers])
    rows = con.execute(
        "SELECT x, zw_iin_valid(x), zw_iin_birth_date(x), zw_iin_sex(x) FROM t"
    ).fetchall()
    valid = [r for r in rows if r[1]]
    assert len(valid) > 8000
    for x, ok, born, sex in rows:
        assert ok == iin.validate(x), x
        if ok:
            assert born == iin.birth_date(x) and sex == iin.sex(x), x
