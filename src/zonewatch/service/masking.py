"""Pseudonymisation of personal data for roles that do not need it.

Which role sees what is declared as data. A pseudonym is a keyed hash (HMAC-SHA256) of the
person id: stable within one deployment, so masked users can still follow a person across
pages, and useless without the key.
"""

from __future__ import annotations

import hashlib
import hmac
from typing import Any

# role -> how that role sees personal data (names, IINs, birth dates, person ids)
PERSONAL_DATA_ACCESS: dict[str, str] = {
    "admin": "clear",
    "analyst": "clear",
    "inspector": "assigned",  # clear only for properties on the inspector's own visits
    "auditor": "pseudonymised",
}
PERSON_FIELDS = ("last_name", "first_name", "patronymic", "iin", "name")
PSEUDONYM_PREFIX = "ps_"


class Masker:
    """Turns person ids into pseudonyms and blanks names, IINs and birth dates."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def pseudonym(self, person_id: str) -> str:
        """The stable pseudonym of one person id."""
        digest = hmac.new(self._key, str(person_id).encode(), hashlib.sha256).hexdigest()
        return PSEUDONYM_PREFIX + digest[:16]

    def person(self, row: dict[str, Any], id_fields: tuple[str, ...] = ("person_id",)) -> dict:
        """A copy of a person-bearing row with ids pseudonymised and personal fields masked."""
        out = dict(row)
        for name in id_fields:
            if out.get(name) is not None:
                out[name] = self.pseudonym(out[name])
        for name in PERSON_FIELDS:
            if name in out and out[name] is not None:
                out[name] = "***"
        if out.get("birth_date") is not None:
            out["birth_date"] = str(out["birth_date"])[:4]  # the year stays: ages matter
        return out


def sees_clear(role: str, assigned: bool = False) -> bool:
    """Whether `role` sees personal data in clear (for an assigned property if `assigned`)."""
    access = PERSONAL_DATA_ACCESS.get(role, "pseudonymised")
    return access == "clear" or (access == "assigned" and assigned)
