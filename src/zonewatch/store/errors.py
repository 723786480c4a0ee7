"""The domain errors under their earlier import path; they live in `zonewatch.errors`."""

from zonewatch.errors import Conflict, Invalid, NotFound, Unavailable

__all__ = ["Conflict", "Invalid", "NotFound", "Unavailable"]
