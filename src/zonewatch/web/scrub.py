"""Defence in depth for masked page viewers: the service's text scrub on the page's run.

The scrubbing itself lives in `zonewatch.service.scrub` (the API uses the same code); this
adapter only tells it which tokens are person ids of the run served by the pages.
"""

from __future__ import annotations

from typing import Any

from zonewatch.service.masking import Masker
from zonewatch.service.scrub import scrub_person_ids as scrub_with
from zonewatch.web.rundata import RunData


def scrub_person_ids(data: Any, run: RunData | None, masker: Masker) -> Any:
    """`data` with every person id of `run` that appears in any string pseudonymised."""
    if run is None or not run.has("persons"):
        return data

    def persons(tokens: list[str]) -> list[str]:
        found = run.rows("SELECT person_id FROM db.persons WHERE list_contains(?, person_id)",
                         [tokens])
        return [r["person_id"] for r in found]

    return scrub_with(data, persons, masker)
