"""What the analysis wrote, shown in the reader's language at display time.

The analysis files keep their English text and indicator ids (the data contract); the pages
pass them through here: indicator ids become titles in the page's language
(`i18n/indicators.yaml`), English plurals are fixed ("1 people" -> "1 person",
"2 household(s)" -> "2 households") and, in Russian and Kazakh, the recurring frame of an
explanation ("Flagged by N indicators - id: ...") is translated, with each indicator's id
replaced by its title; each indicator's sentence is re-set from the Russian or Kazakh
template of `i18n/sentences.yaml`, its figures read out of the English sentence with a
pattern made from the indicator's English template. The network room's sentences (built in
Python) go clause by clause through `clauses`. A sentence nothing matches (a changed
definition) stays in English. The figures stay as written.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Any

import yaml

from zonewatch.web import clauses

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


PLACEHOLDER = re.compile(r"\{(\w+)(?::[^}]*)?\}")


@cache
def _translations() -> dict[str, Any]:
    text = resources.files("zonewatch.web").joinpath("i18n", "sentences.yaml").read_text(
        "utf-8")
    return yaml.safe_load(text) or {}


@cache
def english_templates() -> dict[str, str]:
    """Indicator id -> the English evidence template of its definition."""
    try:
        from zonewatch.indicators.spec import load_indicators

        defined = {spec.id: spec.explanation for spec in load_indicators() if spec.explanation}
    except Exception:  # noqa: BLE001 - without definitions sentences stay in English
        defined = {}
    # the flags computed in Python (inspection outcomes) declare their English here
    return {**_translations().get("computed", {}), **defined}


@cache
def _pattern(indicator_id: str) -> re.Pattern[str] | None:
    template = english_templates().get(indicator_id)
    if not template:
        return None
    out, pos = "", 0
    for m in PLACEHOLDER.finditer(template):
        out += re.escape(template[pos:m.start()]) + f"(?P<{m[1]}>.+?)"
        pos = m.end()
    return re.compile(out + re.escape(template[pos:]), re.S)


def _phrase(value: str, lang: str) -> str:
    phrases = _translations().get("phrases", {})
    if value in phrases:
        return phrases[value].get(lang, value)
    for english in sorted(phrases, key=len, reverse=True):
        if " " in english.strip() or english.startswith("%"):
            value = value.replace(english, phrases[english].get(lang, english))
    return value


# how rare a finding is among its peers (zonewatch.scoring.rarity), appended to a sentence
RARITY = re.compile(r" \(as strong in (?P<count>[\d,]+) of (?P<peers>[\d,]+) (?P<group>.+?)"
                    r"(?:, 1 in (?P<one_in>[\d,]+)|(?P<common>: common here))\)(?P<end>\.?)$")
RARITY_TEXT = {
    "ru": ("(так же выражено у {count} из {peers}: {group}, 1 из {one_in})",
           "(так же выражено у {count} из {peers}: {group}; здесь обычно)"),
    "kk": ("({peers} ішінде {count} нысанда осылай: {group}, {one_in} ішінен 1)",
           "({peers} ішінде {count} нысанда осылай: {group}; мұнда әдеттегі)"),
}


def _rarity(found: re.Match[str], lang: str) -> str:
    rare, common = RARITY_TEXT[lang]
    values = {k: v for k, v in found.groupdict().items() if v is not None}
    group = values["group"]
    phrases = _translations().get("phrases", {})
    for tenure in ("owner-occupied ", "let "):  # "let dormitory properties": tenure + kind
        if group.startswith(tenure) and group not in phrases:
            group = f"{_phrase(group[len(tenure):], lang)} ({_phrase(tenure.strip(), lang)})"
    values["group"] = _phrase(group, lang)
    return (common if found["common"] else rare).format(**values)


def evidence_sentence(text: str, indicator_id: str, lang: str) -> str:
    """One indicator's English sentence in `lang` (unchanged when no template matches)."""
    rare = RARITY.search(text) if lang in RARITY_TEXT else None
    if rare:
        body = evidence_sentence(text[:rare.start()], indicator_id, lang)
        return f"{body} {_rarity(rare, lang)}{rare['end']}"
    target = _translations().get("templates", {}).get(indicator_id, {}).get(lang)
    pattern = _pattern(indicator_id)
    found = pattern.fullmatch(text) if pattern and target else None
    if not found and text.endswith(".") and pattern and target:  # an explanation's last
        translated = evidence_sentence(text[:-1], indicator_id, lang)
        return text if translated == text[:-1] else translated + "."
    if not found:
        return text
    return target.format(**{k: _phrase(v, lang) for k, v in found.groupdict().items()})


def any_template(text: str, lang: str) -> str:
    """`text` re-set from the first indicator template whose English pattern it matches."""
    for indicator_id in english_templates():
        shown = evidence_sentence(text, indicator_id, lang)
        if shown != text:
            return shown
    return text


def sentence(text: str | None, lang: str, indicator_id: str | None = None) -> str:
    """An explanation (or, with `indicator_id`, one evidence sentence) as the page shows it
    in `lang`."""
    if not text:
        return text or ""
    text = str(text)
    if lang == "en":
        return plurals(text)
    if indicator_id:
        shown = evidence_sentence(text, indicator_id, lang)
        if shown == text:
            shown = clauses.translate(text, lang, lambda part: any_template(part, lang))
        return plurals(shown)
    for whole in _translations().get("frames", []):
        found = re.match(whole["en"], text)
        if found and whole.get(lang):
            return whole[lang].format(**found.groupdict())
    frame = FLAGGED_BY.match(text)
    head = FRAME.get(lang, "").format(n=frame[1]) if frame else ""
    body = text[frame.end():] if frame else text
    ids = "|".join(sorted(map(re.escape, titles()), key=len, reverse=True))
    parts = re.split(rf"(?:^|; )({ids}): ", body)
    if len(parts) == 1 and not frame:
        return plurals(clauses.translate(body, lang, lambda part: any_template(part, lang)))
    if len(parts) == 1:
        return plurals(head + body)
    out = [parts[0]] if parts[0] else []
    for indicator, segment in zip(parts[1::2], parts[2::2], strict=True):
        out.append(f"«{title(indicator, lang)}»: {evidence_sentence(segment, indicator, lang)}")
    return plurals(head + "; ".join(out))
