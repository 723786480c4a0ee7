"""Ingest: read a registry extract into DuckDB, quarantining rows that break the contract."""

from zonewatch.ingest.errors import IngestError
from zonewatch.ingest.pipeline import ingest_extract
from zonewatch.ingest.report import IngestReport, TableReport

__all__ = ["IngestError", "IngestReport", "TableReport", "ingest_extract"]
