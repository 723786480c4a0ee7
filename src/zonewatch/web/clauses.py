"""The network room's sentences (owners, officials, offices, broker networks) in Russian and
Kazakh at display time.

`zonewatch.network` builds its explanations in Python from clauses joined by "; " (and lists
joined by ", "), so they are translated clause by clause from the patterns of
`i18n/clauses.yaml`; an indicator clause with a definition template goes through
`sentences.evidence_sentence`. A clause no pattern matches stays in English.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from importlib import resources
from typing import Any

import yaml

ENTITY = re.compile(r"^(?P<kind>Owner|Official|Office) (?P<id>\S+): (?P<body>.*?)(?P<end>\.?)$",
                    re.S)


@cache
def table() -> dict[str, Any]:
    """The clause patterns, entity labels, words and inline pieces."""
    text = resources.files("zonewatch.web").joinpath("i18n", "clauses.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    data["compiled"] = [(re.compile(c["en"], re.S), c) for c in data.get("clauses", [])]
    data["inline_compiled"] = [(re.compile(c["en"]), c) for c in data.get("inline", [])]
    return data


def split_outside(text: str, sep: str) -> list[str]:
    """`text` cut at `sep` where no parenthesis is open."""
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        ch = text[i]
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            start = i = i + len(sep)
            continue
        i += 1
    return parts + [text[start:]]


def _value(name: str, value: str | None, lang: str) -> str:
    if not value:
        return value or ""
    if name.endswith("_items"):
        return ", ".join(clause(v, lang) for v in split_outside(value, ", "))
    if name.endswith("_text"):
        return clause(value, lang)
    words = table().get("words", {})
    if value in words:
        return words[value].get(lang, value)
    for pattern, inline in table()["inline_compiled"]:
        value = pattern.sub(lambda m, c=inline: c[lang].format(**m.groupdict()), value)
    return value


def clause(text: str, lang: str) -> str:
    """One clause in `lang` (unchanged when no pattern matches)."""
    for pattern, spec in table()["compiled"]:
        found = pattern.fullmatch(text)
        if found and spec.get(lang):
            return spec[lang].format(**{k: _value(k, v, lang)
                                        for k, v in found.groupdict().items()})
    return text


def translate(text: str, lang: str, indicator_sentence: Callable[[str], str]) -> str:
    """A network-room sentence or explanation in `lang`: the "Owner X: " frame, each clause by
    `indicator_sentence` (an indicator's template) or by the clause patterns."""
    entity = ENTITY.match(text)
    head, body, end = "", text, ""
    if entity:
        label = table().get("entities", {}).get(entity["kind"], {}).get(lang, entity["kind"])
        head, body, end = f"{label} {entity['id']}: ", entity["body"], entity["end"]
    elif text.endswith("."):
        body, end = text[:-1], "."
    out = []
    for part in split_outside(body, "; "):
        lowered = part[:1].lower() + part[1:]
        shown = indicator_sentence(part)
        if shown == part:
            shown = clause(part, lang)
        if shown == part and lowered != part:
            shown = clause(lowered, lang)
        out.append(shown)
    joined = "; ".join(out)
    if not head and body[:1].isupper():
        joined = joined[:1].upper() + joined[1:]
    return head + joined + end
