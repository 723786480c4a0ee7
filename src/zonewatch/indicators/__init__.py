"""Indicators as data: YAML red-flag definitions and the runner that evaluates them."""

from zonewatch.indicators.prepare import prepare
from zonewatch.indicators.runner import (
    HIT_COLUMNS,
    IndicatorRun,
    indicator_sql,
    run_indicators,
    weight_of,
)
from zonewatch.indicators.settings import load_settings
from zonewatch.indicators.spec import Indicator, load_indicators

__all__ = [
    "HIT_COLUMNS", "Indicator", "IndicatorRun", "indicator_sql", "load_indicators",
    "load_settings", "prepare", "run_indicators", "weight_of",
]
