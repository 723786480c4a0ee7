"""Approvals by official: the facts the official and office indicators are computed from.

One row per registration approved by a known official within the window, with whether
it went to a flagged flat (hubs such as dormitories never count as flagged), whether the
owner gave no consent, and whether it was processed out of working hours.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from zonewatch.network.base import has_column, has_table


def build_approvals(con: duckdb.DuckDBPyConnection, as_of: dt.date, p: dict[str, Any]) -> int:
    """nw_appr(official_id, office_id, start_date, yr, month, flagged, no_consent,
    consent_known, out_of_hours, hours_known); returns its row count (0: cannot judge)."""
    if not has_column(con, "registrations", "official_id"):
        return 0
    office = "r.office_id" if has_column(con, "registrations", "office_id") else "NULL"
    if has_table(con, "officials"):
        office = f"coalesce({office}, o.office_id)"
        join = "LEFT JOIN officials o ON o.official_id = r.official_id"
    else:
        join = ""
    consent = "r.owner_consent" if has_column(con, "registrations", "owner_consent") else "NULL"
    at = "r.processed_at" if has_column(con, "registrations", "processed_at") else "NULL"
    start_h, end_h = (int(h) for h in p["work_hours"])
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nw_appr AS
        SELECT r.official_id, coalesce({office}, '(no office)') AS office_id, r.start_date,
               year(r.start_date) AS yr, date_trunc('month', r.start_date) AS month,
               (f.property_id IS NOT NULL AND h.property_id IS NULL) AS flagged,
               coalesce({consent} = 'none', false) AS no_consent,
               {consent} IS NOT NULL AS consent_known,
               coalesce(hour({at}::TIMESTAMP) < $sh OR hour({at}::TIMESTAMP) >= $eh
                        OR isodow({at}::TIMESTAMP) >= 6, false) AS out_of_hours,
               {at} IS NOT NULL AS hours_known
        FROM registrations r {join}
        LEFT JOIN nw_flagged f ON f.property_id = r.property_id
        LEFT JOIN nw_hub_props h ON h.property_id = r.property_id
        WHERE r.official_id IS NOT NULL
          AND r.start_date <= $d AND r.start_date > $d - to_days($w)
        """,
        {"d": as_of, "w": int(p["official_window_days"]), "sh": start_h, "eh": end_h},
    )
    return con.execute("SELECT count(*) FROM nw_appr").fetchone()[0]
