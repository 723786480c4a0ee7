"""The `zonewatch analyze` pipeline: ingest, indicators, scores, people, output files."""

from zonewatch.analysis.pipeline import AnalysisError, AnalysisResult, analyze

__all__ = ["AnalysisError", "AnalysisResult", "analyze"]
