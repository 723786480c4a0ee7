"""Registering analysis runs in the store: where they are, their as-of date, flag counts.

The register's trends compare registered runs, so each keeps, per indicator, how many
distinct entities it flagged (from the run's evidence.csv).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.errors import Invalid, NotFound
from zonewatch.rundir import RunDir, open_run
from zonewatch.store.models import AnalysisRun

_GENERATION = [0]  # bumped by every run registered in this process (evidence cache key)


def runs_generation() -> int:
    """How many runs this process has registered (so caches can tell a re-registration)."""
    return _GENERATION[0]


def flag_counts(run: RunDir) -> dict[str, int]:
    """Distinct entities flagged per indicator id in the run's evidence.csv."""
    ev = run.evidence()
    if ev.empty:
        return {}
    counts = ev.groupby("indicator_id")["entity_id"].nunique()
    return {str(k): int(v) for k, v in counts.items()}


def register_run(session: Session, run_dir: str | Path) -> dict[str, Any]:
    """Record (or refresh) a run directory in the store and return its summary."""
    run = open_run(run_dir)
    try:
        counts = flag_counts(run)
    except NotFound as exc:
        raise Invalid(f"{run.path} is not an analysis run: {exc}") from exc
    as_of = run.as_of()
    if as_of is None:
        raise Invalid(f"{run.path}: no as-of date in run.json or the run's DuckDB")
    row = session.scalar(select(AnalysisRun).where(AnalysisRun.path == str(run.path)))
    if row is None:
        row = AnalysisRun(path=str(run.path))
        session.add(row)
    row.as_of, row.flag_counts = as_of, counts
    row.registered_at = datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003
    session.flush()
    _GENERATION[0] += 1
    return run_summary(row)


def run_summary(row: AnalysisRun) -> dict[str, Any]:
    """A registered run as a plain dict."""
    return {
        "id": row.id,
        "path": row.path,
        "as_of": row.as_of.isoformat(),
        "registered_at": row.registered_at.isoformat(),
        "flag_counts": row.flag_counts,
    }


def list_runs(session: Session) -> list[dict[str, Any]]:
    """Every registered run, oldest as-of first."""
    rows = session.scalars(select(AnalysisRun).order_by(AnalysisRun.as_of, AnalysisRun.id))
    return [run_summary(r) for r in rows]


def latest_run(session: Session, on_or_before: date | None = None) -> AnalysisRun | None:
    """The registered run with the newest as-of date (not after `on_or_before` if given)."""
    stmt = select(AnalysisRun).order_by(AnalysisRun.as_of.desc(), AnalysisRun.id.desc())
    if on_or_before:
        stmt = stmt.where(AnalysisRun.as_of <= on_or_before)
    return session.scalars(stmt.limit(1)).first()
