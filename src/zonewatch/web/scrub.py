"""Defence in depth for masked viewers: person ids inside free text become pseudonyms.

The service masks id columns, but explanations and evidence sentences written by the
analysis may name a person ("Owner P00003714 owns ..."). For a viewer who must not see
person ids, every string of a page is scanned for tokens that are person ids of the run and
those are replaced with the service's pseudonyms, so text and id columns agree.
"""

from __future__ import annotations

import re
from typing import Any

from zonewatch.service.masking import Masker
from zonewatch.web.rundata import RunData

TOKEN = re.compile(r"\b(?=[\w-]*\d)[\w-]{3,64}\b")
MAX_TOKENS = 20_000


def _strings(value: Any, out: set[str]) -> None:
    if isinstance(value, str):
        out.update(TOKEN.findall(value))
    elif isinstance(value, dict):
        for item in value.values():
            _strings(item, out)
    elif isinstance(value, list):
        for item in value:
            _strings(item, out)


def _replace(value: Any, mapping: dict[str, str]) -> Any:
    if isinstance(value, str):
        return TOKEN.sub(lambda m: mapping.get(m.group(0), m.group(0)), value)
    if isinstance(value, dict):
        return {k: _replace(v, mapping) for k, v in value.items()}
    if isinstance(value, list):
        return [_replace(v, mapping) for v in value]
    return value


def scrub_person_ids(data: Any, run: RunData | None, masker: Masker) -> Any:
    """`data` with every person id of `run` that appears in any string pseudonymised."""
    if run is None or not run.has("persons"):
        return data
    tokens: set[str] = set()
    _strings(data, tokens)
    tokens = {t for t in tokens if not t.startswith("ps_")}
    if not tokens:
        return data
    found = run.rows("SELECT person_id FROM db.persons WHERE list_contains(?, person_id)",
                     [sorted(tokens)[:MAX_TOKENS]])
    mapping = {r["person_id"]: masker.pseudonym(r["person_id"]) for r in found}
    return _replace(data, mapping) if mapping else data
