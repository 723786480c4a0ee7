"""The fields of a register entry, declared as data, and the validation that follows from them.

Each field says its type, whether it is required, and what it means; the docs and the
API's error messages come from this one table. Risk scores are derived, never typed in.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from zonewatch.store.errors import Invalid
from zonewatch.store.models import ENTRY_STATUSES, MEASURE_STATUSES

NATURES = ("systemic", "opportunistic")
CODE_RE = re.compile(r"^[A-Z0-9][A-Z0-9-]{2,63}$")

# name -> (type, required, help)
FIELDS: dict[str, tuple[str, bool, str]] = {
    "code": ("code", True, "stable identifier, e.g. REG-RUBBER-FLATS; never changes"),
    "title": ("text", True, "short name of the corruption reason"),
    "summary": ("text", True, "what happens, in two or three sentences"),
    "zone": ("text", True, "the public service or sector where it happens"),
    "nature": ("nature", True, "systemic (built into institutions) or opportunistic"),
    "mechanism": ("text", False, "how the corrupt exchange works, step by step"),
    "actors": ("list", False, "who takes part (owners, brokers, officials, ...)"),
    "legal_basis": ("text", False, "the rules that create the opportunity or forbid it"),
    "likelihood": ("score", True, "inherent likelihood, 1 (rare) .. 5 (almost certain)"),
    "impact": ("score", True, "inherent impact, 1 (minor) .. 5 (severe)"),
    "residual_likelihood": ("score", False, "likelihood with the measures in force"),
    "residual_impact": ("score", False, "impact with the measures in force"),
    "indicators": ("list", False, "ids of the indicators that give live evidence"),
    "measures": ("measures", False, "measures taken or proposed against the cause"),
    "status": ("status", True, "identified, assessed, mitigating, monitored or closed"),
    "sources": ("list", False, "where the knowledge comes from (publications, cases)"),
    "identified_on": ("date", False, "when the reason was identified"),
    "last_reviewed_on": ("date", False, "when the entry was last reviewed"),
    "next_review_due": ("date", False, "when the next review is due"),
    "internal": ("bool", False, "true = the whole entry is left out of public exports"),
    "internal_fields": ("list", False, "fields left out of public exports"),
}
# measure field -> (type, required, help)
MEASURE_FIELDS: dict[str, tuple[str, bool, str]] = {
    "title": ("text", True, "what the measure does"),
    "responsible": ("text", False, "the body responsible for it"),
    "status": ("measure_status", True, "proposed, adopted, in_force or abandoned"),
    "proposed_on": ("date", False, "when it was proposed"),
    "effective_on": ("date", False, "when it took effect (evidence compares before/after)"),
    "notes": ("text", False, "details, sources"),
    "internal": ("bool", False, "true = left out of public exports"),
}
DERIVED = ("inherent_risk", "residual_risk", "risk_level")
RISK_LEVELS = ((20, "critical"), (10, "high"), (5, "medium"), (0, "low"))


def _check(where: str, kind: str, value: Any) -> Any:
    """Validate and normalise one value; raise Invalid naming `where` and the rule."""
    if kind == "code":
        if not isinstance(value, str) or not CODE_RE.match(value):
            raise Invalid(f"{where}: {value!r} must match {CODE_RE.pattern}")
        return value
    if kind == "text":
        if not isinstance(value, str) or not value.strip():
            raise Invalid(f"{where}: must be non-empty text")
        return value.strip()
    if kind in ("nature", "status", "measure_status"):
        allowed = {"nature": NATURES, "status": ENTRY_STATUSES, "measure_status": MEASURE_STATUSES}[
            kind
        ]
        if value not in allowed:
            raise Invalid(f"{where}: {value!r} is not one of {', '.join(allowed)}")
        return value
    if kind == "score":
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
            raise Invalid(f"{where}: must be an integer from 1 to 5, got {value!r}")
        return value
    if kind == "list":
        if not isinstance(value, list) or not all(isinstance(x, str) and x for x in value):
            raise Invalid(f"{where}: must be a list of non-empty strings")
        return value
    if kind == "bool":
        if not isinstance(value, bool):
            raise Invalid(f"{where}: must be true or false")
        return value
    if kind == "date":
        if isinstance(value, date):
            return value.isoformat()
        try:
            return date.fromisoformat(str(value)).isoformat()
        except ValueError as exc:
            raise Invalid(f"{where}: {value!r} is not a YYYY-MM-DD date") from exc
    raise AssertionError(kind)


def _measure(i: int, raw: Any) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise Invalid(f"measures[{i}]: must be an object")
    unknown = set(raw) - set(MEASURE_FIELDS)
    if unknown:
        raise Invalid(f"measures[{i}]: unknown field(s) {', '.join(sorted(unknown))}")
    out: dict[str, Any] = {}
    for name, (kind, required, _help) in MEASURE_FIELDS.items():
        if raw.get(name) is None:
            if required:
                raise Invalid(f"measures[{i}].{name}: is required")
            continue
        out[name] = _check(f"measures[{i}].{name}", kind, raw[name])
    return out


def validate_entry(raw: dict[str, Any]) -> dict[str, Any]:
    """A clean entry document from `raw`, or Invalid naming the first broken field."""
    if not isinstance(raw, dict):
        raise Invalid("an entry must be an object")
    unknown = set(raw) - set(FIELDS) - set(DERIVED)
    if unknown:
        raise Invalid(f"unknown field(s): {', '.join(sorted(unknown))}")
    doc: dict[str, Any] = {}
    for name, (kind, required, _help) in FIELDS.items():
        value = raw.get(name)
        if value is None:
            if required:
                raise Invalid(f"{name}: is required ({FIELDS[name][2]})")
            continue
        if kind == "measures":
            if not isinstance(value, list):
                raise Invalid("measures: must be a list")
            doc[name] = [_measure(i, m) for i, m in enumerate(value)]
        else:
            doc[name] = _check(name, kind, value)
    bad = set(doc.get("internal_fields", [])) - set(FIELDS)
    if bad or "code" in doc.get("internal_fields", []):
        raise Invalid(f"internal_fields: {', '.join(sorted(bad)) or 'code'} cannot be internal")
    due, reviewed = doc.get("next_review_due"), doc.get("last_reviewed_on")
    if due and reviewed and due < reviewed:
        raise Invalid("next_review_due: must not be before last_reviewed_on")
    return doc


def with_risk(doc: dict[str, Any]) -> dict[str, Any]:
    """The document plus inherent and residual risk (likelihood x impact) and its level."""
    inherent = doc["likelihood"] * doc["impact"]
    residual = doc.get("residual_likelihood", doc["likelihood"]) * doc.get(
        "residual_impact", doc["impact"]
    )
    level = next(name for floor, name in RISK_LEVELS if residual >= floor)
    return {**doc, "inherent_risk": inherent, "residual_risk": residual, "risk_level": level}


def public_view(doc: dict[str, Any]) -> dict[str, Any] | None:
    """What a public export may show: None for an internal entry, else without internal parts."""
    if doc.get("internal"):
        return None
    hidden = set(doc.get("internal_fields", [])) | {"internal", "internal_fields"}
    if hidden & {"likelihood", "impact", "residual_likelihood", "residual_impact"}:
        hidden |= set(DERIVED)  # a risk score would reveal a hidden likelihood or impact
    out = {k: v for k, v in doc.items() if k not in hidden}
    if "measures" in out:
        out["measures"] = [
            {k: v for k, v in m.items() if k != "internal"}
            for m in out["measures"]
            if not m.get("internal")
        ]
    return out
