"""The special register over HTTP: entries, edits with reasons, history, versions, evidence."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import BaseModel, Field

from zonewatch.register import entries
from zonewatch.register.evidence_cache import cached_live_evidence
from zonewatch.register.io import dumps, export_documents
from zonewatch.register.runs import latest_run, list_runs, register_run
from zonewatch.service import audit
from zonewatch.service.auth import Principal
from zonewatch.service.deps import DB, allowed, service_state
from zonewatch.store.errors import Invalid

router = APIRouter(prefix="/register", tags=["register"])
runs_router = APIRouter(prefix="/runs", tags=["register"])
Reader = Annotated[Principal, Depends(allowed("read_lists"))]
Editor = Annotated[Principal, Depends(allowed("edit_register"))]


class NewEntry(BaseModel):
    """An entry to create and why."""

    entry: dict[str, Any]
    reason: str = Field(min_length=1)


class EntryChange(BaseModel):
    """Fields to change (null removes an optional field), why, and the version edited."""

    changes: dict[str, Any]
    reason: str = Field(min_length=1)
    expected_version: int | None = None


class RunPath(BaseModel):
    """An analysis run directory to register."""

    path: str


@router.get("")
def list_register(
    _: Reader,
    db: DB,
    status: str | None = None,
    zone: str | None = None,
    overdue: bool = False,
) -> list:
    """Every entry (current versions), optionally of one status or zone, or overdue reviews."""
    today = date.today() if overdue else None
    return entries.list_entries(db, status=status, zone=zone, overdue_on=today)


@router.get("/measures")
def list_measures(_: Reader, db: DB, status: str | None = None) -> list:
    """Every measure of every entry, by effective date."""
    return entries.list_measures(db, status=status)


@router.get("/export", response_class=PlainTextResponse, responses={200: {
    "content": {"application/json": {}, "application/yaml": {}},
    "description": "the register as JSON or YAML"}})
def export_register(
    who: Reader,
    db: DB,
    public: bool = False,
    fmt: Annotated[str, Query(alias="format", pattern="^(json|yaml)$")] = "json",
) -> PlainTextResponse:
    """The whole register as JSON or YAML; `public=true` leaves out what is internal.
    Audited (the full export holds internal entries)."""
    media = "application/json" if fmt == "json" else "application/yaml"
    docs = export_documents(db, public=public)
    audit.record(db, who, "export", "register", "public" if public else "internal",
                 {"format": fmt, "entries": len(docs)})
    db.commit()
    return PlainTextResponse(dumps(docs, fmt), media_type=media)


@router.post("", status_code=201)
def create(body: NewEntry, who: Editor, db: DB) -> dict:
    """Create an entry (version 1)."""
    entry = entries.create_entry(db, body.entry, who.username, body.reason)
    audit.record(db, who, "create", "register_entry", entry["code"], {"reason": body.reason})
    db.commit()
    return entry


@router.get("/{code}")
def read(code: str, _: Reader, db: DB) -> dict:
    """The current version of an entry."""
    return entries.get_entry(db, code)


@router.patch("/{code}")
def update(code: str, body: EntryChange, who: Editor, db: DB) -> dict:
    """Change fields as a new version (409 if `expected_version` is stale)."""
    entry = entries.update_entry(
        db, code, body.changes, who.username, body.reason, body.expected_version
    )
    audit.record(
        db,
        who,
        "update",
        "register_entry",
        code,
        {"version": entry["version"], "reason": body.reason},
    )
    db.commit()
    return entry


@router.get("/{code}/history")
def history(code: str, _: Reader, db: DB) -> list:
    """Every version: who, when, why and what changed."""
    return entries.history(db, code)


@router.get("/{code}/versions/{number}")
def version(code: str, number: int, _: Reader, db: DB) -> dict:
    """An entry exactly as it was at version `number`."""
    return entries.version(db, code, number)


@router.get("/{code}/evidence")
def evidence(code: str, request: Request, _: Reader, db: DB) -> dict:
    """Live evidence from the latest registered run (or the served run when none is)."""
    run = None if latest_run(db) else service_state(request).run
    return cached_live_evidence(db, code, run)


@runs_router.get("")
def runs(_: Reader, db: DB) -> list:
    """Registered analysis runs, oldest first, with flag counts per indicator."""
    return list_runs(db)


@runs_router.post("", status_code=201)
def add_run(body: RunPath, who: Editor, db: DB) -> dict:
    """Register an analysis run directory (path on the server)."""
    if "\x00" in body.path:
        raise Invalid("path: contains a NUL byte")
    summary = register_run(db, body.path)
    audit.record(db, who, "register_run", "analysis_run", summary["path"])
    db.commit()
    return summary
