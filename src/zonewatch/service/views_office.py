"""The office read function: one code path for `/api/offices/{id}` and the office page.

An office holds no personal data of its own (its officials are listed by id), so nothing is
masked or audited here beyond the text scrub every read function applies.
"""

from __future__ import annotations

from typing import Any

from zonewatch.errors import NotFound
from zonewatch.rundir import records
from zonewatch.service.views import Viewer, _jsonable, _ranked_row, _scrub, _table_rows


def office_detail(v: Viewer, office_id: str) -> dict[str, Any]:
    """An office: record, rank, evidence (strongest first) and its ranked officials."""
    record = _table_rows(v.run, "offices", "SELECT * FROM offices WHERE office_id = ?",
                         [office_id])
    ranked = _ranked_row(v.run, "offices", office_id)
    if not record and ranked is None:
        raise NotFound(f"office {office_id} is not in the served run")
    try:
        officials = v.run.ranked("officials")
    except NotFound:
        officials = None
    rows = []
    if officials is not None and "office_id" in officials.columns:
        mine = officials[officials["office_id"].astype(str) == office_id]
        rows = records(mine.sort_values(["rank", "official_id"], kind="stable"))
    evidence = sorted(v.run.evidence_for("office", office_id),
                      key=lambda e: -(e.get("score") or 0.0))
    return _scrub(v, {
        "office_id": office_id,
        "record": _jsonable(record[0]) if record else None,
        "ranked": ranked,
        "evidence": evidence,
        "officials": rows,
    })
