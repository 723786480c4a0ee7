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
from zonewatch.store.errors import Conflict, Invalid, NotFound

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


def _stale(code: str, given: Any, stored: int) -> None:
    """Optimistic concurrency: the file must carry the version it was exported at."""
    if isinstance(given, bool) or not isinstance(given, int):
        raise Invalid(f"entry {code}: version must be a whole number, got {given!r}")
    if given < stored:
        raise Conflict(
            f"entry {code}: the file has version {given} but the register is at version "
            f"{stored} (edited since the export); export again and redo the changes"
        )
    if given > stored:
        raise Conflict(f"entry {code}: the file has version {given}, newer than the "
                       f"register's {stored}: it comes from another store")


def _publicity(code: str, before: dict[str, Any], clean: dict[str, Any]) -> str | None:
    """What the import would make public or internal, as a sentence (None: nothing)."""
    was, now = bool(before.get("internal")), bool(clean.get("internal"))
    freed = set(before.get("internal_fields") or ()) - set(clean.get("internal_fields") or ())
    parts = []
    if was != now:
        parts.append(f"internal {str(was).lower()} -> {str(now).lower()}")
    if freed:
        parts.append(f"fields made public: {', '.join(sorted(freed))}")
    return f"{code}: {'; '.join(parts)}" if parts else None


def import_documents(
    session: Session,
    docs: list[dict[str, Any]],
    who: str,
    reason: str,
    *,
    allow_internal_change: bool = False,
) -> dict[str, list[str]]:
    """Create new codes and update existing ones (unchanged ones are skipped), all or nothing.

    An entry carrying `version` must be at that version in the register (Conflict when it
    was edited since the export: a stale file never reverts newer edits). Changing whether
    an entry or a field is internal is refused unless `allow_internal_change`; when allowed,
    each such change is listed under `internal_changed`.
    """
    result: dict[str, list[str]] = {
        "created": [], "updated": [], "unchanged": [], "internal_changed": []
    }
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
        if "version" in raw:
            _stale(doc["code"], raw["version"], before["version"])
        # fields absent from the file are kept (a public export re-imported loses nothing);
        # a field given as null is removed
        merged = {k: v for k, v in {**before, **doc}.items() if k in FIELDS and v is not None}
        clean = validate_entry(merged)
        patch = {n: clean.get(n) for n in FIELDS if n in doc}
        if all(before.get(n) == v for n, v in patch.items()):
            result["unchanged"].append(doc["code"])
            continue
        flipped = _publicity(doc["code"], before, clean)
        if flipped and not allow_internal_change:
            raise Conflict(f"entry {flipped}: refused; allow it explicitly "
                           "(zonewatch register import --allow-internal-change)")
        try:
            update_entry(session, doc["code"], patch, who, reason,
                         expected_version=before["version"])
        except Invalid as exc:
            raise Invalid(f"entry {doc['code']}: {exc}") from exc
        result["updated"].append(doc["code"])
        if flipped:
            result["internal_changed"].append(flipped)
    return result
