"""What the analysis wrote, shown in the reader's language at display time.

The analysis files keep their English text and indicator ids (the data contract); the pages
pass them through here: indicator ids become titles in the page's language
(`i18n/indicators.yaml`), English plurals are fixed ("1 people" -> "1 person",
"2 household(s)" -> "2 households") and, in Russian and Kazakh, the recurring frame of an
explanation ("Flagged by N indicators - id: ...") is translated, with each indicator's id
replaced by its title. The figures stay as written.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

import yaml

PLURAL = re.compile(r"\b(\d+(?:\.\d+)?) (\w+)\(s\)")
BARE_PLURAL = re.compile(r"\b(\w+)\(s\)")
ONE_PEOPLE = re.compile(r"\b1 people\b")
FLAGGED_BY = re.compile(r"^Flagged by (\d+) indicators? - ")
FRAME = {"ru": "Отмечено индикаторами: {n}. ", "kk": "Белгілеген индикаторлар: {n}. "}


@cache
def titles() -> dict[str, dict[str, str]]:
    """Indicator id -> language -> title."""
    text = resources.files("zonewatch.web").joinpath("i18n", "indicators.yaml").read_text(
        "utf-8")
    return {str(k): {str(lang): str(t) for lang, t in v.items()}
            for k, v in (yaml.safe_load(text) or {}).items()}


def title(indicator_id: str, lang: str) -> str:
    """The indicator's title in `lang` (English, then the id, when missing)."""
    known = titles().get(indicator_id, {})
    return known.get(lang) or known.get("en") or indicator_id


def plurals(text: str) -> str:
    """English counts with the right plural: "1 people", "1 official(s)", "3 household(s)"."""
    text = ONE_PEOPLE.sub("1 person", text)
    text = PLURAL.sub(lambda m: f"{m[1]} {m[2]}" + ("" if m[1] == "1" else "s"), text)
    return BARE_PLURAL.sub(lambda m: m[1] + "s", text)


def sentence(text: str | None, lang: str) -> str:
    """An explanation or evidence sentence as the page shows it in `lang`."""
    if not text:
        return text or ""
    text = plurals(str(text))
    if lang == "en":
        return text
    frame = FLAGGED_BY.match(text)
    if frame:
        text = FRAME.get(lang, "").format(n=frame[1]) + text[frame.end():]
    ids = "|".join(sorted(map(re.escape, titles()), key=len, reverse=True))
    return re.sub(rf"(^|; |\. )({ids}): ", lambda m: f"{m[1]}«{title(m[2], lang)}»: ", text)
