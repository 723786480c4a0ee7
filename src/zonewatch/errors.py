"""Domain errors shared by every room (the store, the run directory, register, inspections,
the API maps them to 4xx/503)."""

from __future__ import annotations


class NotFound(LookupError):
    """The thing asked for does not exist (HTTP 404)."""


class Invalid(ValueError):
    """The input breaks a rule; the message names the field and the rule (HTTP 400/422)."""


class Conflict(RuntimeError):
    """The change collides with existing data, e.g. a duplicate code (HTTP 409)."""


class Unavailable(RuntimeError):
    """The resource exists but cannot be read right now, e.g. a run being rewritten (HTTP 503)."""
