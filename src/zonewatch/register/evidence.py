"""Live evidence for a register entry: what its indicators flag now, the trend across runs,
how often inspections of flagged places found violations, and figures before/after measures.

An entry's indicators are the ids it lists plus every indicator whose definition names the
entry's code; unknown ids are reported (known: false), never an error.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.errors import NotFound
from zonewatch.indicators.catalogue import catalogue
from zonewatch.register.effect import measure_effect
from zonewatch.register.entries import get_entry
from zonewatch.register.runs import latest_run
from zonewatch.rundir import RunDir, open_run
from zonewatch.store.models import AnalysisRun, InspectionOutcome

WINDOW_DAYS = 365  # registrations compared in this window before and after a measure


def indicator_catalog() -> dict[str, dict[str, Any]]:
    """Red flag id -> {entity, title, register codes}, from the one catalogue
    (`zonewatch.indicators.catalogue`: SQL indicators and the network room's)."""
    return {f.id: {"entity": f.entity, "title": f.title, "register": list(f.register)}
            for f in catalogue().values()}


def entry_indicators(code: str, listed: list[str], catalog: dict[str, dict]) -> list[str]:
    """The entry's own indicator ids, then those whose definitions point at `code`."""
    linked = [i for i, d in sorted(catalog.items()) if code in d["register"]]
    return list(dict.fromkeys([*listed, *linked]))


def _flagged(run: RunDir, ids: list[str]) -> dict[str, set[str]]:
    """indicator id -> flagged property ids ("entity_type:entity_id" for other entities)."""
    try:
        ev = run.evidence()
    except NotFound:
        return {}
    ev = ev[ev["indicator_id"].isin(ids)]
    out: dict[str, set[str]] = {}
    for ind, etype, eid in zip(ev["indicator_id"], ev["entity_type"], ev["entity_id"], strict=True):
        key = eid if etype == "property" else f"{etype}:{eid}"
        out.setdefault(ind, set()).add(key)
    return out


def _hit_rate(session: Session, property_ids: set[str]) -> dict[str, Any]:
    if not property_ids:
        return {"inspected": 0, "violation": 0, "no_violation": 0, "no_access": 0, "hit_rate": None}
    rows = session.scalars(select(InspectionOutcome)).all()
    counts = {"violation": 0, "no_violation": 0, "no_access": 0}
    for r in rows:
        if r.property_id in property_ids:
            counts[r.outcome] += 1
    decided = counts["violation"] + counts["no_violation"]
    return {
        "inspected": sum(counts.values()),
        **counts,
        "hit_rate": round(counts["violation"] / decided, 4) if decided else None,
    }


def _trend(session: Session, ids: list[str]) -> list[dict[str, Any]]:
    runs = session.scalars(select(AnalysisRun).order_by(AnalysisRun.as_of, AnalysisRun.id))
    return [
        {
            "as_of": r.as_of.isoformat(),
            "path": r.path,
            "flags": {i: int(r.flag_counts.get(i, 0)) for i in ids},
            "total": sum(int(r.flag_counts.get(i, 0)) for i in ids),
        }
        for r in runs
    ]


def _registrations_around(run: RunDir, props: set[str], start: date, as_of: date) -> dict:
    """New registrations per 30 days, at flagged properties and overall, before vs after."""
    if not run.has_table("registrations"):
        return {"available": False, "why": "the run has no registrations table"}
    before_from = start - timedelta(days=WINDOW_DAYS)
    after_to = min(as_of, start + timedelta(days=WINDOW_DAYS))
    if after_to <= start:
        return {"available": False, "why": f"the run's as-of {as_of} is not after {start}"}
    rows = run.query(
        "SELECT property_id, start_date < ? AS before, count(*) AS n FROM registrations "
        "WHERE start_date >= ? AND start_date < ? GROUP BY ALL",
        [start, before_from, after_to],
    )

    def rate(before: bool, only_flagged: bool) -> float:
        days = (start - before_from).days if before else (after_to - start).days
        n = sum(
            r["n"]
            for r in rows
            if r["before"] == before and (not only_flagged or r["property_id"] in props)
        )
        return round(30 * n / days, 3) if days else 0.0

    return {
        "available": True,
        "window_before": [before_from.isoformat(), start.isoformat()],
        "window_after": [start.isoformat(), after_to.isoformat()],
        "flagged_properties": len(props),
        "per_30_days_at_flagged": {"before": rate(True, True), "after": rate(False, True)},
        "per_30_days_overall": {"before": rate(True, False), "after": rate(False, False)},
    }


def _runs_around(session: Session, ids: list[str], start: date) -> dict[str, Any]:
    runs = session.scalars(select(AnalysisRun)).all()

    def mean(rows: list[AnalysisRun]) -> float | None:
        totals = [sum(int(r.flag_counts.get(i, 0)) for i in ids) for r in rows]
        return round(sum(totals) / len(totals), 3) if totals else None

    before = [r for r in runs if r.as_of < start]
    after = [r for r in runs if r.as_of >= start]
    return {
        "runs_before": len(before),
        "runs_after": len(after),
        "mean_flags_before": mean(before),
        "mean_flags_after": mean(after),
    }


def _treated(session: Session, run: RunDir, ids: list[str], props: set[str],
             start: date) -> tuple[set[str], dict[str, Any]]:
    """The properties the entry's indicators flagged in the latest registered run before
    `start` (readable on disk), else those of `run`; and where they came from."""
    earlier = session.scalars(select(AnalysisRun).where(AnalysisRun.as_of < start)
                              .order_by(AnalysisRun.as_of.desc(), AnalysisRun.id.desc()))
    for r in earlier:
        try:
            before = open_run(r.path)
            flagged = _flagged(before, ids)
        except (NotFound, OSError, ValueError):
            continue
        return ({p for s in flagged.values() for p in s if ":" not in p},
                {"run": r.path, "as_of": r.as_of.isoformat(), "before_measure": True})
    as_of = run.as_of()
    return props, {"run": str(run.path), "as_of": as_of.isoformat() if as_of else None,
                   "before_measure": False}


def _effect(session: Session, run: RunDir, ids: list[str], props: set[str], start: date,
            as_of: date) -> dict[str, Any]:
    """The measure's difference-in-differences effect (`effect.measure_effect`), memoised."""
    treated, source = _treated(session, run, ids, props, start)
    key = f"effect:{start}:{as_of}:{hash(frozenset(treated))}"
    try:
        return run.cached(key, lambda: measure_effect(run, treated, start, as_of, source))
    except NotFound as exc:
        return {"available": False, "why": str(exc)}


def live_evidence(session: Session, code: str, run: RunDir | None = None) -> dict[str, Any]:
    """Everything the register shows as live evidence for entry `code`."""
    entry = get_entry(session, code)
    catalog = indicator_catalog()
    ids = entry_indicators(code, entry.get("indicators", []), catalog)
    if run is None:
        latest = latest_run(session)
        run = open_run(latest.path) if latest else None
    flagged = (
        run.cached(f"flagged:{','.join(ids)}", lambda: _flagged(run, ids))
        if run
        else {}
    )
    props = {p for s in flagged.values() for p in s if ":" not in p}
    as_of = run.as_of() if run else None
    measures = []
    for m in entry.get("measures", []):
        item: dict[str, Any] = {"title": m["title"], "effective_on": m.get("effective_on")}
        if m.get("effective_on"):
            start = date.fromisoformat(m["effective_on"])
            item["runs"] = _runs_around(session, ids, start)
            if run and as_of:
                key = f"regs:{start}:{as_of}:{hash(frozenset(props))}"
                try:
                    item["registrations"] = run.cached(
                        key,
                        lambda s=start: _registrations_around(run, props, s, as_of),
                    )
                except NotFound as exc:
                    item["registrations"] = {"available": False, "why": str(exc)}
                item["effect"] = _effect(session, run, ids, props, start, as_of)
        measures.append(item)
    return {
        "code": code,
        "run": {"path": str(run.path), "as_of": as_of.isoformat() if as_of else None}
        if run
        else None,
        "indicators": [
            {
                "id": i,
                "known": i in catalog,
                "entity": catalog.get(i, {}).get("entity"),
                "title": catalog.get(i, {}).get("title"),
                "flagged": len(flagged.get(i, ())),
            }
            for i in ids
        ],
        "flagged_entities": len({p for s in flagged.values() for p in s}),
        "trend": _trend(session, ids),
        "inspections": _hit_rate(session, props),
        "measures": measures,
    }
