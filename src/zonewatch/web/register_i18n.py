"""Register texts in Russian and Kazakh at display time (`i18n/register.yaml`).

A seed entry's title, zone and summary are translated only while they are still the seed's
English text, so an analyst's edit is shown as typed; statuses, natures, risk levels and
measure statuses are translated always. The register and its exports keep the English.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Any

import yaml

FIELDS = ("title", "zone", "summary")


@cache
def table() -> dict[str, Any]:
    """The translated values and seed texts."""
    text = resources.files("zonewatch.web").joinpath("i18n", "register.yaml").read_text("utf-8")
    return yaml.safe_load(text) or {}


@cache
def seed_texts() -> dict[str, dict[str, str]]:
    """Code -> field -> the seed's English text."""
    from zonewatch.register.seed import seed_documents

    return {e["code"]: {f: str(e.get(f, "")).strip() for f in FIELDS} for e in seed_documents()}


def register_value(value: str | None, lang: str) -> str:
    """A status, nature, risk level or measure status in `lang`."""
    if not value:
        return value or ""
    return table().get("values", {}).get(value, {}).get(lang, value)


def register_text(entry: dict[str, Any], field: str, lang: str) -> str:
    """The entry's `field` in `lang` while it is the seed's English, else as stored."""
    value = entry.get(field) or ""
    if lang == "en" or seed_texts().get(entry.get("code"), {}).get(field) != str(value).strip():
        return value
    return table().get("entries", {}).get(entry["code"], {}).get(field, {}).get(lang, value)
