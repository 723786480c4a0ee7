"""The one error ingest raises when an extract cannot be loaded at all."""

from __future__ import annotations


class IngestError(Exception):
    """An extract that cannot be ingested: missing/garbled file, missing column, bad layout.

    The message names the file, and where it applies the column and line; the CLI prints
    it without a traceback and exits non-zero.
    """
