"""English, Russian and Kazakh labels for the pages, kept as YAML data beside this module.

The language comes from `?lang=`, then the `zonewatch_lang` cookie, then Accept-Language;
a label missing in one language falls back to English and then to its key, so a page never
breaks over a missing translation (a test lists keys missing in any file).
"""

from __future__ import annotations

from functools import cache
from importlib import resources

import yaml
from starlette.requests import Request

LANGUAGES: tuple[str, ...] = ("en", "ru", "kk")
COOKIE = "zonewatch_lang"


@cache
def messages(lang: str) -> dict[str, str]:
    """All labels of one language."""
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; expected one of {', '.join(LANGUAGES)}")
    text = resources.files("zonewatch.web").joinpath("i18n", f"{lang}.yaml").read_text("utf-8")
    return {str(k): str(v) for k, v in (yaml.safe_load(text) or {}).items()}


def pick_language(request: Request) -> str:
    """The language this request asked for."""
    for candidate in (request.query_params.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    for part in request.headers.get("accept-language", "").lower().split(","):
        code = part.split(";")[0].strip()[:2]
        if code in LANGUAGES:
            return code
    return "en"


class Translator:
    """`t("key", n=3)` for templates: the label in the page's language, formatted."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._own = messages(lang)
        self._en = messages("en")

    def __call__(self, key: str, default: str | None = None, **values: object) -> str:
        text = self._own.get(key) or self._en.get(key) or default or key
        return text.format(**values) if values else text
