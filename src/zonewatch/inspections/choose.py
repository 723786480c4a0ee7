"""Which properties a plan visits: the top of the ranking plus exploration (see `design`),
leaving out what is already planned or was inspected recently.

Skipped properties are out of both the targets and the exploration frame, so estimates from
the plan cover the run's properties minus the skipped ones (the plan's *frame*).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.inspections.design import Design, draw
from zonewatch.inspections.routing import Stop
from zonewatch.inspections.selection import ranked_stops
from zonewatch.rundir import RunDir
from zonewatch.store.models import InspectionOutcome, InspectionPlan, PlanVisit

DECIDED = ("violation", "no_violation")  # no_access was no inspection: it may be retried


def choose_stops(
    run: RunDir,
    capacity: int,
    *,
    min_score: float = 0.0,
    design: Design | None = None,
    skip: Iterable[str] = (),
    seed: int | None = None,
) -> list[Stop]:
    """Targets (top by rank, score > min_score) and exploration draws, as stops."""
    design = design or Design()
    ranked = run.ranked("properties")
    ranked = ranked.assign(property_id=ranked["property_id"].astype(str))
    eligible = ranked[~ranked["property_id"].isin(set(skip))].sort_values("rank", kind="stable")
    n_explore = design.explore_visits(capacity)
    top = eligible[eligible["score"] > min_score].head(capacity - n_explore)
    frame = eligible.drop(top.index)
    band = round(design.band_width * capacity)
    explore = draw(frame, n_explore, band, design, np.random.default_rng(seed))
    stops = ranked_stops(run, top)
    for s, (_, row) in zip(ranked_stops(run, explore), explore.iterrows(), strict=True):
        stops.append(Stop(s.property_id, s.rank, s.score, s.district, s.building_id, s.lat,
                          s.lon, s.address, "explore", float(row["inclusion_probability"]),
                          str(row["stratum"])))
    return stops


def planned_or_inspected(session: Session, start: date, days: int) -> set[str]:
    """Properties of the store to skip: in a plan started within `days` before `start` whose
    visit has no outcome yet, or with a decided outcome within `days` before `start`."""
    since = start - timedelta(days=days)
    done = select(InspectionOutcome.visit_id).where(InspectionOutcome.visit_id.is_not(None))
    open_visits = session.scalars(
        select(PlanVisit.property_id).join(InspectionPlan)
        .where(InspectionPlan.start_on >= since, PlanVisit.id.not_in(done)))
    inspected = session.scalars(
        select(InspectionOutcome.property_id)
        .where(InspectionOutcome.inspected_on >= since, InspectionOutcome.outcome.in_(DECIDED)))
    return set(open_visits) | set(inspected)


def recently_inspected(frame: pd.DataFrame, start: date, days: int) -> set[str]:
    """Properties with a decided outcome since `days` before `start` (later ones too) in an
    inspections frame (the contract's columns)."""
    if frame is None or not len(frame):
        return set()
    on = pd.to_datetime(frame["inspected_on"], errors="coerce").dt.date
    since = start - timedelta(days=days)
    keep = frame["outcome"].isin(DECIDED) & on.notna() & (on >= since)
    return set(frame.loc[keep, "property_id"].astype(str))


def run_inspections(run: RunDir) -> pd.DataFrame:
    """The extract's own inspections, from the run's database (empty when it has none)."""
    if not run.has_table("inspections"):
        return pd.DataFrame(columns=["property_id", "inspected_on", "outcome"])
    return run.frame("SELECT CAST(property_id AS VARCHAR) AS property_id, "
                     "CAST(inspected_on AS VARCHAR) AS inspected_on, outcome FROM inspections")


def read_inspections(paths: Iterable[str | Path]) -> pd.DataFrame:
    """Inspections files (CSV or Parquet in the contract's format) as one frame."""
    frames = [pd.read_parquet(p) if str(p).endswith(".parquet")
              else pd.read_csv(p, dtype=str, keep_default_na=False) for p in paths]
    return (pd.concat(frames, ignore_index=True) if frames
            else pd.DataFrame(columns=["property_id", "inspected_on", "outcome"]))
