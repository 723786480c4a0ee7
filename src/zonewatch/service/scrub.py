"""Person ids inside free text become pseudonyms: one code path for the API and the pages.

Id columns are masked by the read functions, but explanations and evidence sentences written
by the analysis may name a person ("Owner P00003714 owns ..."). For a viewer who must not see
person ids, every string of a response is scanned for tokens that are person ids of the run,
and those are replaced with the same pseudonyms the id columns get, so text and ids agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from zonewatch.rundir import RunDir
from zonewatch.service.masking import PSEUDONYM_PREFIX, Masker

TOKEN = re.compile(r"\b(?=[\w-]*\d)[\w-]{2,64}\b")  # id-like: word characters with a digit
MAX_TOKENS = 20_000

# given candidate tokens, the ones that are person ids of the run
PersonLookup = Callable[[list[str]], Iterable[str]]


def _strings(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        out.update(TOKEN.findall(value))
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, list | tuple):
        for item in value:
            _strings(item, out)


def _replace(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return TOKEN.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_replace(v, mapping) for v in value]
    return value


def scrub_person_ids(data: Any, persons: PersonLookup, masker: Masker) -> Any:
    """`data` with every person id (as `persons` recognises them) in any string pseudonymised."""
    tokens: set[str] = set()
    _strings(data, tokens)
    candidates = sorted(t for t in tokens if not t.startswith(PSEUDONYM_PREFIX))[:MAX_TOKENS]
    if not candidates:
        return data
    mapping = {p: masker.pseudonym(p) for p in persons(candidates)}
    return _replace(data, mapping) if mapping else data


def scrub_run_persons(data: Any, run: RunDir | None, masker: Masker) -> Any:
    """`data` with every person id of `run` (its persons table) in any string pseudonymised."""
    if run is None or not run.has_table("persons"):
        return data

    def persons(tokens: list[str]) -> list[str]:
        rows = run.query("SELECT person_id FROM persons WHERE list_contains(?, person_id)",
                         [tokens])
        return [r["person_id"] for r in rows]

    return scrub_person_ids(data, persons, masker)
