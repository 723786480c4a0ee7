"""Evaluate indicator definitions on a backend and collect their hits.

Every indicator whose tables are present runs; the rest are skipped with a reason. A failing
indicator is recorded as skipped with its error, so one bad definition cannot sink a run.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from zonewatch.contract.run_files import columns
from zonewatch.engine.base import Backend, EngineError
from zonewatch.indicators.params import substitute
from zonewatch.indicators.render import render
from zonewatch.indicators.settings import IndicatorSettings
from zonewatch.indicators.spec import Indicator

HIT_COLUMNS = columns("evidence.csv")  # a hit is an evidence.csv row
OUTPUT_COLUMNS = ("entity_id", "value", "threshold", "strength")


@dataclass
class IndicatorRun:
    """What a run of indicators produced: hits (with strengths) and what ran or not."""

    hits: pd.DataFrame
    ran: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)


def resolve_params(ind: Indicator, settings: IndicatorSettings) -> dict[str, Any]:
    """The definition's defaults overridden by `settings.params[id]` (names checked when the
    settings were parsed)."""
    return {**ind.defaults(), **settings.params.get(ind.id, {})}


def weight_of(ind: Indicator, settings: IndicatorSettings) -> float:
    """The declared weight of an indicator, after settings overrides."""
    return float(settings.weights.get(ind.id, ind.weight))


def indicator_sql(ind: Indicator, settings: IndicatorSettings, as_of: dt.date) -> str:
    """The indicator's SQL with parameters substituted as literals."""
    values = {**resolve_params(ind, settings), "as_of": as_of}
    return substitute(ind.sql, values, where=ind.id)


def run_indicators(
    backend: Backend,
    indicators: list[Indicator],
    tables: set[str],
    as_of: dt.date,
    settings: IndicatorSettings,
) -> IndicatorRun:
    """Run `indicators` on `backend`; return hits with columns HIT_COLUMNS plus `strength`."""
    frames: list[pd.DataFrame] = []
    run = IndicatorRun(hits=pd.DataFrame(columns=[*HIT_COLUMNS, "strength"]))
    disabled = set(settings.disabled)
    for ind in indicators:
        if ind.id in disabled:
            run.skipped[ind.id] = "disabled in settings"
            continue
        missing = ind.missing_tables(tables)
        if missing:
            run.skipped[ind.id] = "missing table " + ", ".join(t.replace("|", " or ")
                                                                for t in missing)
            continue
        started = time.perf_counter()
        try:
            frame = _evaluate(backend, ind, settings, as_of)
        except (EngineError, KeyError) as exc:
            run.skipped[ind.id] = f"failed: {str(exc).splitlines()[0]}"
            continue
        run.timings[ind.id] = round(time.perf_counter() - started, 3)
        run.ran.append(ind.id)
        if len(frame):
            frames.append(frame)
    if frames:
        run.hits = pd.concat(frames, ignore_index=True)
    return run


def _evaluate(
    backend: Backend, ind: Indicator, settings: IndicatorSettings, as_of: dt.date
) -> pd.DataFrame:
    sql = indicator_sql(ind, settings, as_of)
    frame = backend.fetch(
        f"SELECT * FROM ({sql}) zw_q WHERE strength > 0 AND entity_id IS NOT NULL"
    )
    missing = [c for c in OUTPUT_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(f"{ind.id}: SQL returns no column(s) {missing}")
    frame = frame.sort_values("entity_id", kind="stable").reset_index(drop=True)
    strength = pd.to_numeric(frame["strength"], errors="coerce").fillna(0).clip(0, 1)
    weight = weight_of(ind, settings)
    constants = {"as_of": as_of, **resolve_params(ind, settings)}
    return pd.DataFrame({
        "entity_type": ind.entity,
        "entity_id": frame["entity_id"].astype(str),
        "indicator_id": ind.id,
        "value": pd.to_numeric(frame["value"], errors="coerce"),
        "threshold": pd.to_numeric(frame["threshold"], errors="coerce"),
        "score": (strength * weight).round(6),
        "evidence": render(ind.explanation, frame, constants),
        "strength": strength.round(6),
    })
