"""Register entries with every change kept: create, update (with a reason), history, versions.

The current document lives in `register_entries`; each save appends the full document to
`register_versions` with who, when, why and a field-by-field list of what changed, so any
past version can be shown exactly as it was.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.register.fields import FIELDS, validate_entry, with_risk
from zonewatch.store.errors import Conflict, Invalid, NotFound
from zonewatch.store.models import Measure, RegisterEntry, RegisterVersion


def _now() -> datetime:
    return datetime.utcnow().replace(microsecond=0)  # noqa: DTZ003


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"field": name, "before": before.get(name), "after": after.get(name)}
        for name in FIELDS
        if before.get(name) != after.get(name)
    ]


def _sync(entry: RegisterEntry, doc: dict[str, Any], who: str) -> None:
    entry.title, entry.status, entry.zone = doc["title"], doc["status"], doc["zone"]
    entry.document = doc
    entry.updated_at, entry.updated_by = _now(), who
    entry.measures.clear()
    for i, m in enumerate(doc.get("measures", [])):
        entry.measures.append(
            Measure(
                position=i,
                title=m["title"],
                responsible=m.get("responsible"),
                status=m["status"],
                proposed_on=_date(m.get("proposed_on")),
                effective_on=_date(m.get("effective_on")),
            )
        )


def _date(raw: str | None) -> date | None:
    return date.fromisoformat(raw) if raw else None


def _version(session: Session, entry: RegisterEntry, changes: list, reason: str, who: str) -> None:
    session.add(
        RegisterVersion(
            entry_id=entry.id,
            version=entry.version,
            document=entry.document,
            changes=changes,
            reason=reason,
            changed_by=who,
            changed_at=entry.updated_at,
        )
    )


def _need_reason(reason: str) -> str:
    if not reason or not reason.strip():
        raise Invalid("reason: every change needs a reason (why it was made)")
    return reason.strip()


def _get(session: Session, code: str, for_update: bool = False) -> RegisterEntry:
    stmt = select(RegisterEntry).where(RegisterEntry.code == code)
    if for_update:  # PostgreSQL: concurrent edits of one entry queue up instead of colliding
        stmt = stmt.with_for_update()
    entry = session.scalar(stmt)
    if entry is None:
        raise NotFound(f"no register entry {code!r}")
    return entry


def create_entry(session: Session, raw: dict[str, Any], who: str, reason: str) -> dict[str, Any]:
    """Add an entry (version 1); Conflict when its code exists."""
    reason = _need_reason(reason)
    doc = validate_entry(raw)
    exists = session.scalar(select(RegisterEntry.id).where(RegisterEntry.code == doc["code"]))
    if exists is not None:
        raise Conflict(f"register entry {doc['code']!r} already exists")
    entry = RegisterEntry(code=doc["code"], version=1)
    _sync(entry, doc, who)
    session.add(entry)
    session.flush()
    _version(session, entry, _changes({}, doc), reason, who)
    session.flush()
    return current(entry)


def update_entry(
    session: Session,
    code: str,
    patch: dict[str, Any],
    who: str,
    reason: str,
    expected_version: int | None = None,
) -> dict[str, Any]:
    """Apply `patch` (top-level fields; null removes an optional field) as a new version.

    `expected_version` guards against lost updates: Conflict if someone saved in between.
    """
    reason = _need_reason(reason)
    entry = _get(session, code, for_update=True)
    if expected_version is not None and expected_version != entry.version:
        raise Conflict(
            f"{code} is at version {entry.version}, not {expected_version}: reload and retry"
        )
    if "code" in patch and patch["code"] != code:
        raise Invalid("code: an entry's code never changes")
    merged = {k: v for k, v in {**entry.document, **patch}.items() if v is not None}
    doc = validate_entry(merged)
    changes = _changes(entry.document, doc)
    if not changes:
        raise Invalid("nothing changed: the patch equals the current version")
    entry.version += 1
    _sync(entry, doc, who)
    _version(session, entry, changes, reason, who)
    session.flush()
    return current(entry)


def current(entry: RegisterEntry) -> dict[str, Any]:
    """The entry's current document with derived risk and version metadata."""
    return {
        **with_risk(entry.document),
        "version": entry.version,
        "updated_at": entry.updated_at.isoformat(),
        "updated_by": entry.updated_by,
    }


def get_entry(session: Session, code: str) -> dict[str, Any]:
    """The current version of one entry."""
    return current(_get(session, code))


def list_entries(
    session: Session,
    status: str | None = None,
    zone: str | None = None,
    overdue_on: date | None = None,
) -> list[dict[str, Any]]:
    """Every entry, ordered by code; optionally of one status or zone, or (with
    `overdue_on`) only open entries whose next review was due before that day."""
    stmt = select(RegisterEntry).order_by(RegisterEntry.code)
    if status:
        stmt = stmt.where(RegisterEntry.status == status)
    if zone:
        stmt = stmt.where(RegisterEntry.zone == zone)
    found = [current(e) for e in session.scalars(stmt)]
    if overdue_on is not None:
        day = overdue_on.isoformat()
        found = [
            e
            for e in found
            if e["status"] != "closed" and e.get("next_review_due") and e["next_review_due"] < day
        ]
    return found


def list_measures(session: Session, status: str | None = None) -> list[dict[str, Any]]:
    """Every measure of every entry (optionally of one status), by effective date."""
    stmt = select(Measure, RegisterEntry.code).join(RegisterEntry)
    if status:
        stmt = stmt.where(Measure.status == status)
    rows = session.execute(stmt).all()
    rows.sort(key=lambda r: (r[0].effective_on or date.max, r[1], r[0].position))
    return [
        {
            "code": code,
            "title": m.title,
            "responsible": m.responsible,
            "status": m.status,
            "proposed_on": m.proposed_on.isoformat() if m.proposed_on else None,
            "effective_on": m.effective_on.isoformat() if m.effective_on else None,
        }
        for m, code in rows
    ]


def history(session: Session, code: str) -> list[dict[str, Any]]:
    """Every version of an entry, oldest first: who, when, why and what changed."""
    entry = _get(session, code)
    rows = session.scalars(
        select(RegisterVersion)
        .where(RegisterVersion.entry_id == entry.id)
        .order_by(RegisterVersion.version)
    )
    return [
        {
            "version": r.version,
            "changed_by": r.changed_by,
            "changed_at": r.changed_at.isoformat(),
            "reason": r.reason,
            "changes": r.changes,
        }
        for r in rows
    ]


def version(session: Session, code: str, number: int) -> dict[str, Any]:
    """An entry exactly as it was at version `number`."""
    entry = _get(session, code)
    row = session.scalar(
        select(RegisterVersion).where(
            RegisterVersion.entry_id == entry.id, RegisterVersion.version == number
        )
    )
    if row is None:
        raise NotFound(f"{code} has no version {number} (latest is {entry.version})")
    return {
        **with_risk(row.document),
        "version": row.version,
        "updated_at": row.changed_at.isoformat(),
        "updated_by": row.changed_by,
    }
