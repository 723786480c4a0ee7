"""Scoring: combine indicator strengths into one ranked, explained score per property,
and calibrate the weights from inspection outcomes."""

from zonewatch.scoring.calibrate import Calibration, calibrate
from zonewatch.scoring.combine import (
    PROPERTY_SCORE_COLUMNS,
    contributions,
    score_properties,
    strength_matrix,
)
from zonewatch.scoring.compare import ranking_change

__all__ = [
    "PROPERTY_SCORE_COLUMNS", "Calibration", "calibrate", "contributions", "ranking_change",
    "score_properties", "strength_matrix",
]
