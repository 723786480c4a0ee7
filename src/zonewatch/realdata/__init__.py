"""Importers that turn real public data into zonewatch extracts."""

from zonewatch.realdata.reformagkh import ImportReport, convert, import_reformagkh

__all__ = ["ImportReport", "convert", "import_reformagkh"]
