"""The tamper-evident audit chain: each row holds the hash of the row before it.

`row_hash = sha256(prev_hash + canonical JSON of the row's content)`, and `store_meta`
keeps the newest row's id and hash (`audit_head`), so an altered row, a deleted row in the
middle and a cut-off tail are all found by `verify`. Appending locks the head row first
(`UPDATE ... WHERE key = 'audit_head'`): PostgreSQL writers queue on that row lock, SQLite
holds its one write lock, so two transactions never chain onto the same row. The row is
written in the caller's transaction: it is committed, or rolled back, with what it records.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from zonewatch.store.models import AuditEvent, StoreMeta

HEAD_KEY = "audit_head"
GENESIS = "0" * 64  # prev_hash of the first row
CONTENT = ("id", "at", "username", "role", "action", "target_type", "target_id", "detail")


def jsonable(detail: Any) -> Any:
    """`detail` as plain JSON values (dates and other objects as strings, never reprs)."""
    return json.loads(json.dumps(detail, ensure_ascii=False, default=str))


def canonical(values: Mapping[str, Any]) -> str:
    """A row's content (CONTENT names) as canonical JSON (sorted keys, no spaces): what is
    hashed. `at` is taken to the second, as stored."""
    doc = {name: values[name] for name in CONTENT}
    doc["at"] = values["at"].replace(microsecond=0).isoformat()
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def content_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    """sha256 over the previous row's hash and this row's canonical content."""
    return hashlib.sha256((prev_hash + canonical(values)).encode("utf-8")).hexdigest()


def row_hash(prev_hash: str, row: AuditEvent) -> str:
    """`content_hash` of a stored row."""
    return content_hash(prev_hash, {name: getattr(row, name) for name in CONTENT})


def _lock_head(session: Session) -> str:
    """Take the chain's lock and return the head's hash (creating the head row if absent)."""
    locked = session.execute(
        update(StoreMeta).where(StoreMeta.key == HEAD_KEY).values(value=StoreMeta.value)
    )
    if not locked.rowcount:
        session.add(StoreMeta(key=HEAD_KEY, value=f"0:{GENESIS}"))
        session.flush()
    value = session.scalar(select(StoreMeta.value).where(StoreMeta.key == HEAD_KEY))
    return str(value).split(":", 1)[1]


def lock_for_write(session: Session) -> None:
    """Take the write lock now, before the transaction reads: a SQLite transaction that has
    read and then writes fails with "database is locked" when another writer committed in
    between, while one that writes first waits its turn (busy timeout). Call it first in a
    transaction that checks, then writes and audits."""
    _lock_head(session)


def append(
    session: Session,
    *,
    username: str,
    role: str,
    action: str,
    target_type: str,
    target_id: str,
    detail: dict | None = None,
    at: datetime | None = None,
) -> AuditEvent:
    """Add one chained audit row to the session's transaction (flushed, not committed);
    `at` defaults to now (naive UTC, the store's convention)."""
    prev = _lock_head(session)
    row = AuditEvent(
        at=(at or datetime.utcnow()).replace(microsecond=0),  # noqa: DTZ003
        username=username[:64],
        role=role[:16],
        action=action[:32],
        target_type=target_type[:32],
        target_id=str(target_id)[:255],
        detail=jsonable(detail) if detail is not None else None,
        prev_hash=prev,
    )
    session.add(row)
    session.flush()  # the id is part of the content
    row.row_hash = row_hash(prev, row)
    session.execute(
        update(StoreMeta).where(StoreMeta.key == HEAD_KEY).values(value=f"{row.id}:{row.row_hash}")
    )
    session.flush()
    return row


@dataclass(frozen=True)
class Verdict:
    """The result of `verify`: rows checked, and the first broken row with why (or None)."""

    rows: int
    broken_id: int | None = None
    reason: str | None = None

    @property
    def ok(self) -> bool:
        """True when the whole chain holds."""
        return self.broken_id is None


def verify(session: Session, batch: int = 5000) -> Verdict:
    """Walk the chain oldest first; the first row whose link or hash does not hold is named."""
    prev, last_id, count = GENESIS, 0, 0
    while True:
        rows = list(
            session.scalars(
                select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id)
                .limit(batch)
            )
        )
        if not rows:
            break
        for row in rows:
            count += 1
            if row.prev_hash != prev:
                why = "the row before it was deleted or altered" if row.prev_hash else "unchained"
                return Verdict(count, row.id, f"prev_hash does not match: {why}")
            if row.row_hash != row_hash(prev, row):
                return Verdict(count, row.id, "content altered: its hash does not match")
            prev, last_id = row.row_hash, row.id
        session.expunge_all()
    head = session.scalar(select(StoreMeta.value).where(StoreMeta.key == HEAD_KEY))
    if head is not None and head != f"{last_id}:{prev}":
        head_id = int(str(head).split(":", 1)[0])
        return Verdict(count, head_id, f"the newest rows up to id {head_id} are missing")
    if head is None and count:
        return Verdict(count, last_id, "the chain's head record is missing")
    return Verdict(count)
