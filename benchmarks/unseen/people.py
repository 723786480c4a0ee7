"""Persons for the unseen city: names, birth dates and valid IINs, written independently.

Names mix Kazakh and Russian surnames with their gender forms (Ахметов / Ахметова) and a few
Latin spellings, so that family ties cannot be read from an exact surname match alone.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

SURNAMES = [
    "Ахметов", "Нурланов", "Сейткали", "Жумабаев", "Касымов", "Омаров", "Искаков", "Тулегенов",
    "Бекмуханов", "Сарсенбаев", "Абдрахманов", "Есенов", "Мукашев", "Кенжебаев", "Иванов",
    "Петров", "Смирнов", "Кузнецов", "Попов", "Васильев", "Соколов", "Михайлов", "Новиков",
    "Федоров", "Морозов", "Волков", "Алексеев", "Лебедев", "Семенов", "Егоров", "Павлов",
    "Козлов", "Степанов", "Николаев", "Орлов", "Андреев", "Макаров", "Никитин", "Захаров",
    "Зайцев", "Соловьев", "Борисов", "Яковлев", "Григорьев", "Романов", "Воробьев", "Сергеев",
    "Ким", "Пак", "Ли", "Цой", "Шевченко", "Бондаренко", "Коваленко", "Ткаченко", "Мельник",
    "Юсупов", "Рахимов", "Каримов", "Алиев", "Мамедов", "Гусейнов", "Исмаилов", "Хасанов",
    "Байжанов", "Оспанов", "Дюсенов", "Калиев", "Шарипов", "Ермеков", "Садыков", "Тохтаров",
    "Жаксылыков", "Кудайбергенов", "Амиров", "Ганиев", "Латыпов", "Гарипов", "Зиннатуллин",
    "Белов", "Комаров", "Киселев", "Ильин", "Гусев", "Титов", "Кузьмин", "Кудрявцев", "Баранов",
    "Куликов", "Тарасов", "Жуков", "Беляев", "Савельев", "Фролов", "Медведев", "Поляков",
    "Сорокин", "Виноградов", "Ковалев", "Богданов", "Осипов", "Крылов", "Максимов", "Рыбаков",
]
MALE = ["Айдар", "Ерлан", "Нурлан", "Серик", "Бауыржан", "Асхат", "Даурен", "Ержан", "Тимур",
        "Алексей", "Дмитрий", "Сергей", "Андрей", "Иван", "Михаил", "Олег", "Павел", "Руслан",
        "Марат", "Арман", "Данияр", "Ильяс", "Максим", "Артем", "Евгений", "Кирилл", "Азамат"]
FEMALE = ["Айгуль", "Гульнара", "Динара", "Асель", "Жанар", "Сауле", "Алия", "Мадина", "Камила",
          "Елена", "Ольга", "Татьяна", "Наталья", "Ирина", "Анна", "Мария", "Светлана", "Юлия",
          "Айжан", "Дана", "Томирис", "Карина", "Екатерина", "Виктория", "Аружан", "Зарина"]
# Kazakh surnames are often built from a forefather's name: Айдар -> Айдаров, Айдарбеков ...
SURNAMES += [root + end for root in ("Айдар", "Ерлан", "Нурлан", "Серик", "Асхат", "Даурен",
                                     "Ержан", "Тимур", "Марат", "Арман", "Данияр", "Азамат",
                                     "Болат", "Канат", "Жанат", "Талгат", "Мурат", "Берик",
                                     "Кайрат", "Нурсултан", "Бахыт", "Айбек", "Ерболат")
             for end in ("ов", "беков", "жанов", "баев", "улы")]
# and many Russian surnames from a nickname or trade: Гончар -> Гончаров, Рыжик -> Рыжиков ...
SURNAMES += [root + "ов" for root in (
    "Гончар", "Рыжик", "Бобр", "Сазон", "Ермолай", "Лавр", "Тимоф", "Голуб", "Журавл", "Снегир",
    "Щегл", "Дрозд", "Комар", "Сом", "Карп", "Ерш", "Окун", "Лещ", "Чиж", "Стриж", "Грач",
    "Клим", "Прох", "Фом", "Кондрат", "Самсон", "Тихон", "Трофим", "Ефим", "Спиридон", "Мирон",
    "Харитон", "Пахом", "Никон", "Родион", "Нестер", "Панкрат", "Игнат", "Остап", "Демид",
    "Булат", "Мурад", "Рашид", "Фарид", "Тагир", "Шамил", "Ринат", "Ильдар", "Рустам", "Азат",
    "Жанибек", "Нуржан", "Бекзат", "Олжас", "Ербол", "Асан", "Усен", "Жаксыбек", "Токтар",
    "Сагындык", "Куаныш", "Бакыт", "Жандос", "Ануар", "Рахат", "Мейрам", "Ерик", "Арыстан",
    "Самат", "Кайсар", "Нургали", "Шокан", "Абылай", "Ермек", "Галым", "Думан", "Ельдос")]
SURNAMES += [root + end for root in ("Куаныш", "Бакыт", "Ермек", "Самат", "Асан", "Ербол",
                                     "Жандос", "Олжас", "Галым", "Рахат", "Мейрам", "Ануар")
             for end in ("беков", "баев", "улы")]
FOREIGN = ["UZB", "KGZ", "TJK", "RUS", "CHN", "TUR"]


LATIN = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
                 ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o",
                  "p", "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e",
                  "yu", "ya"], strict=True))


def latin(name: str) -> str:
    """A passport-style Latin spelling (Ахметова -> Akhmetova), as foreigners' records hold."""
    out = "".join(LATIN.get(c.lower(), c) for c in name)
    return out[:1].upper() + out[1:]


def patronymic_of(father: str, sex: str) -> str:
    """A patronymic from the father's first name (Серик -> Серикович, Андрей -> Андреевна)."""
    stem, male, female = father, "ович", "овна"
    if father.endswith("ий"):
        stem, male, female = father[:-2] + "ь", "евич", "евна"
    elif father.endswith("й"):
        stem, male, female = father[:-1], "евич", "евна"
    elif father == "Павел":
        stem = "Павл"
    return stem + (male if sex == "M" else female)


def female_form(surname: str) -> str:
    """The feminine form of a surname (Ахметов -> Ахметова); invariant ones stay."""
    for end, fem in (("ов", "ова"), ("ев", "ева"), ("ин", "ина"), ("ский", "ская"),
                     ("улы", "кызы")):
        if surname.endswith(end):
            return surname[: -len(end)] + fem
    return surname


def iin_for(birth: dt.date, sex: str, serial: int) -> str:
    """A valid IIN for a birth date and sex (serial makes digits 8-11), or '' when none fits."""
    century = {18: 1, 19: 3, 20: 5}[birth.year // 100] + (1 if sex == "F" else 0)
    for bump in range(50):
        body = f"{birth:%y%m%d}{century}{(serial + bump) % 10000:04d}"
        digits = [int(c) for c in body]
        s = sum(d * (i + 1) for i, d in enumerate(digits)) % 11
        if s == 10:
            w = [3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2]
            s = sum(d * wi for d, wi in zip(digits, w, strict=True)) % 11
        if s != 10:
            return body + str(s)
    return ""


@dataclass
class PersonFactory:
    """Makes person rows with unique ids; keeps them in `rows`."""

    rng: random.Random
    rows: list[dict] = field(default_factory=list)

    def surname(self) -> str:
        return self.rng.choice(SURNAMES)

    def make(self, sex: str, age: int, as_of: dt.date, surname: str | None = None,
             citizenship: str = "KAZ", father: str | None = None) -> str:
        """Add one person; return the person_id."""
        rng = self.rng
        pid = f"U{len(self.rows) + 1:07d}"
        birth = as_of - dt.timedelta(days=int(age * 365.25) + rng.randrange(365))
        base = surname or self.surname()
        last = female_form(base) if sex == "F" else base
        dad = father or rng.choice(MALE)
        patronymic = None
        if citizenship in ("KAZ", "RUS") and rng.random() < 0.85:
            patronymic = patronymic_of(dad, sex)
        iin = iin_for(birth, sex, len(self.rows)) if citizenship == "KAZ" else ""
        if rng.random() < 0.03:
            iin = ""  # some records lack the IIN
        first = rng.choice(MALE if sex == "M" else FEMALE)
        if citizenship not in ("KAZ", "RUS"):
            last, first = latin(last), latin(first)
        self.rows.append({
            "person_id": pid, "iin": iin or None, "last_name": last,
            "first_name": first, "patronymic": patronymic,
            "birth_date": birth.isoformat(), "sex": sex, "citizenship": citizenship,
        })
        return pid

    def birth(self, pid: str) -> dt.date:
        """The birth date of a person made here."""
        return dt.date.fromisoformat(self.rows[int(pid[1:]) - 1]["birth_date"])

    def adult(self, as_of: dt.date, surname: str | None = None, lo: int = 19, hi: int = 75,
              sex: str | None = None, citizenship: str = "KAZ") -> str:
        """One adult of random sex and age in [lo, hi]."""
        sex = sex or self.rng.choice("MF")
        return self.make(sex, self.rng.randint(lo, hi), as_of, surname, citizenship)
