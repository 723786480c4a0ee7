"""What needs no login: the public register and aggregate figures of the served run."""

from __future__ import annotations

from fastapi import APIRouter

from zonewatch.register.io import export_documents
from zonewatch.service.deps import DB, Run
from zonewatch.service.public import public_summary

router = APIRouter(prefix="/public", tags=["public"])


@router.get("/register")
def public_register(db: DB) -> list:
    """The register without internal entries, fields and measures."""
    return export_documents(db, public=True)


@router.get("/summary")
def summary(run: Run) -> dict:
    """Flagged properties per district and per indicator; counts under 5 are null."""
    return public_summary(run)
