"""Seeding the register from the YAML shipped in the package (idempotent: existing codes stay)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from zonewatch.register.entries import create_entry
from zonewatch.store.models import RegisterEntry

SEED_FILE = Path(__file__).resolve().parent / "seed.yaml"


def seed_documents(path: Path = SEED_FILE) -> list[dict[str, Any]]:
    """The seed entries as plain documents (dates as ISO strings)."""
    with path.open(encoding="utf-8") as fh:
        docs = yaml.safe_load(fh)
    if not isinstance(docs, list):
        raise ValueError(f"{path}: expected a list of entries")
    return docs


def seed_register(session: Session, who: str = "seed", path: Path = SEED_FILE) -> list[str]:
    """Create the seed entries whose codes are absent; return the codes created."""
    have = set(session.scalars(select(RegisterEntry.code)))
    created = []
    for doc in seed_documents(path):
        if doc.get("code") in have:
            continue
        create_entry(session, doc, who, f"seeded from {path.name}")
        created.append(doc["code"])
    return created
