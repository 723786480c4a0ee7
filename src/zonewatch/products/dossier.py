"""The data of a property dossier: everything the run knows about one property.

`dossier_data` reads the run in clear (the command line's operator holds the run files);
`masked` gives the same dict with person ids pseudonymised, names and IINs blanked and
person ids inside the sentences replaced, for roles that must not see personal data.
"""

from __future__ import annotations

from typing import Any

from zonewatch.errors import NotFound
from zonewatch.products.source import IN_LIST, clean, rows
from zonewatch.rundir import RunDir, records
from zonewatch.service.masking import Masker
from zonewatch.service.scrub import scrub_run_persons

MAX_REGISTRANTS = 500


def dossier_data(run: RunDir, property_id: str) -> dict[str, Any]:
    """Facts, rank, evidence, owners, newest registrations with names, approving officials
    and extract inspections of one property."""
    record = rows(run, "properties", "SELECT * FROM properties WHERE property_id = ?",
                  [property_id])
    try:
        frame = run.ranked("properties")
        ranked = records(frame[frame["property_id"] == property_id])
    except NotFound:
        ranked = []
    if not record and not ranked:
        raise NotFound(f"property {property_id} is not in the run")
    owners = rows(run, "ownerships", "SELECT o.owner_id, o.owner_type, o.share, o.start_date, "
                  "o.end_date, coalesce(p.last_name || ' ' || p.first_name, g.name) AS name "
                  "FROM ownerships o LEFT JOIN persons p ON p.person_id = o.owner_id "
                  "LEFT JOIN organizations g ON g.org_id = o.owner_id WHERE o.property_id = ? "
                  "ORDER BY o.start_date", [property_id]) if run.has_table("persons") and \
        run.has_table("organizations") else rows(
            run, "ownerships", "SELECT owner_id, owner_type, share, start_date, end_date "
            "FROM ownerships WHERE property_id = ? ORDER BY start_date", [property_id])
    regs = rows(run, "registrations", "SELECT registration_id, person_id, kind, start_date, "
                "end_date, office_id, official_id FROM registrations WHERE property_id = ? "
                f"ORDER BY start_date DESC LIMIT {MAX_REGISTRANTS}", [property_id])
    ids = sorted({r["person_id"] for r in regs})
    people = {p["person_id"]: p for p in rows(
        run, "persons", "SELECT person_id, last_name, first_name, patronymic, iin, birth_date "
        f"FROM persons WHERE person_id {IN_LIST}", [ids])}
    for r in regs:
        r.update({k: v for k, v in people.get(r["person_id"], {}).items() if k != "person_id"})
    officials = rows(run, "registrations", "SELECT official_id, count(*) AS approvals FROM "
                     "registrations WHERE property_id = ? AND official_id IS NOT NULL "
                     "GROUP BY official_id ORDER BY approvals DESC, official_id",
                     [property_id])
    inspections = rows(run, "inspections", "SELECT inspected_on, outcome, persons_found, "
                       "fictitious_count FROM inspections WHERE property_id = ? "
                       "ORDER BY inspected_on DESC", [property_id])
    as_of = run.as_of()
    return _clean({"property_id": property_id, "as_of": as_of.isoformat() if as_of else None,
                   "property": record[0] if record else None,
                   "ranked": ranked[0] if ranked else None,
                   "evidence": run.evidence_for("property", property_id), "owners": owners,
                   "registrations": regs, "officials": officials, "inspections": inspections,
                   "masked": False})


def masked(run: RunDir, data: dict[str, Any], masker: Masker) -> dict[str, Any]:
    """`data` as a masked role sees it."""
    out = dict(data)
    out["registrations"] = [masker.person(r) for r in data["registrations"]]
    out["owners"] = [masker.person(o, ("owner_id",)) if o.get("owner_type") == "person" else o
                     for o in data["owners"]]
    out["masked"] = True
    return scrub_run_persons(out, run, masker)


def person_ids(data: dict[str, Any]) -> list[str]:
    """The persons a dossier shows (for the audit log)."""
    return sorted({r["person_id"] for r in data["registrations"]}
                  | {o["owner_id"] for o in data["owners"] if o.get("owner_type") == "person"})


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return clean(value)
