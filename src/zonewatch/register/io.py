"""Import and export of the register as YAML or JSON.

A public export leaves out internal entries, internal fields and internal measures.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.orm import Session

from zonewatch.register.entries import create_entry, get_entry, list_entries, update_entry
from zonewatch.register.fields import DERIVED, FIELDS, public_view, validate_entry
from zonewatch.store.errors import Invalid, NotFound

FORMATS = ("yaml", "json")


def export_documents(session: Session, public: bool = False) -> list[dict[str, Any]]:
    """Every entry as a document; `public` drops internal entries, fields and measures."""
    out = []
    for entry in list_entries(session):
        doc = {k: v for k, v in entry.items() if k in FIELDS or k in DERIVED}
        if public:
            doc = public_view(doc)
            if doc is None:
                continue
        else:
            doc["version"] = entry["version"]
        out.append(doc)
    return out


def dumps(docs: list[dict[str, Any]], fmt: str) -> str:
    """Serialise documents as YAML or JSON."""
    if fmt == "json":
        return json.dumps(docs, ensure_ascii=False, indent=2) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(docs, allow_unicode=True, sort_keys=False)
    raise Invalid(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


def load_file(path: Path) -> list[dict[str, Any]]:
    """Entries from a YAML or JSON file (a list, or one entry)."""
    text = path.read_text(encoding="utf-8")
    try:
        data = json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise Invalid(f"{path}: cannot parse: {exc}") from exc
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise Invalid(f"{path}: expected a list of entries")
    return data


def import_documents(
    session: Session, docs: list[dict[str, Any]], who: str, reason: str
) -> dict[str, list[str]]:
    """Create new codes and update existing ones (unchanged ones are skipped), all or nothing."""
    result: dict[str, list[str]] = {"created": [], "updated": [], "unchanged": []}
    for i, raw in enumerate(docs):
        if not isinstance(raw, dict) or "code" not in raw:
            raise Invalid(f"entry #{i + 1}: needs a 'code'")
        doc = {k: v for k, v in raw.items() if k not in DERIVED and k != "version"}
        try:
            before = get_entry(session, doc["code"])
        except NotFound:
            create_entry(session, doc, who, reason)
            result["created"].append(doc["code"])
            continue
        # fields absent from the file are kept (a public export re-imported loses nothing);
        # a field given as null is removed
        merged = {k: v for k, v in {**before, **doc}.items() if k in FIELDS and v is not None}
        clean = validate_entry(merged)
        patch = {n: clean.get(n) for n in FIELDS if n in doc}
        if all(before.get(n) == v for n, v in patch.items()):
            result["unchanged"].append(doc["code"])
            continue
        try:
            update_entry(session, doc["code"], patch, who, reason)
        except Invalid as exc:
            raise Invalid(f"entry {doc['code']}: {exc}") from exc
        result["updated"].append(doc["code"])
    return result
