"""Live evidence cached per (run, entry): the register entry page must not recompute it.

Computing an entry's evidence reads the run's evidence and DuckDB and scans the store; the
result only changes when the entry changes (its version), a run is registered, an
inspection outcome is recorded, or a new version of the run is served. All of these are part of
the cache key, so a hit is always current; a key costs one small aggregate query.
"""

from __future__ import annotations

import copy
import json
import threading
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from zonewatch.errors import Invalid, Unavailable
from zonewatch.register.entries import get_entry
from zonewatch.register.evidence import live_evidence
from zonewatch.register.runs import latest_run, runs_generation
from zonewatch.rundir import RunDir, open_run
from zonewatch.store.db import Store
from zonewatch.store.models import AnalysisRun, InspectionOutcome, RegisterEntry

MAX_ENTRIES = 256

_CACHE: dict[tuple, dict[str, Any]] = {}
_LOCK = threading.Lock()


def _store_state(session: Session) -> tuple:
    runs = session.execute(select(func.count(AnalysisRun.id), func.max(AnalysisRun.id),
                                  func.max(AnalysisRun.registered_at))).one()
    outcomes = session.execute(select(func.count(InspectionOutcome.id),
                                      func.max(InspectionOutcome.id))).one()
    return (*runs, *outcomes)


def _run_state(session: Session, run: RunDir | None) -> tuple:
    path = run.path if run is not None else None
    if path is None:
        latest = latest_run(session)
        path = latest.path if latest else None
    if path is None:
        return (None,)
    try:
        return (str(path), (run or open_run(path)).version)
    except (Invalid, Unavailable):
        return (str(path), None)


def cached_live_evidence(session: Session, code: str,
                         run: RunDir | None = None) -> dict[str, Any]:
    """`live_evidence(session, code, run)`, computed once per store, entry, run and store state."""
    entry = json.dumps(get_entry(session, code), sort_keys=True, default=str)
    store = session.get_bind().url.render_as_string(hide_password=False)
    key = (store, code, entry, runs_generation(), _store_state(session),
           _run_state(session, run))
    with _LOCK:
        hit = _CACHE.get(key)
    if hit is not None:
        return copy.deepcopy(hit)
    result = live_evidence(session, code, run)
    with _LOCK:
        if len(_CACHE) >= MAX_ENTRIES:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = copy.deepcopy(result)
    return result


def clear_cache() -> None:
    """Forget every cached evidence (tests; a run rewritten outside this process is seen anyway)."""
    with _LOCK:
        _CACHE.clear()


def warm_evidence(store: Store, served: RunDir | None = None) -> int:
    """Compute every entry's evidence into the cache (as the entry page reads it: the latest
    registered run, else `served`); returns how many entries were warmed. Best effort."""
    done = 0
    try:
        with store.session() as session:
            run = None if latest_run(session) else served
            for code in session.scalars(select(RegisterEntry.code).order_by(RegisterEntry.code)):
                cached_live_evidence(session, code, run)
                done += 1
    except Exception:  # noqa: BLE001 - warming must never break the service
        return done
    return done
