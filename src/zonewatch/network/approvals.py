"""Approvals by official: the facts the official and office flagged-share figures use.

One row per registration approved by a known official within the window, with whether
it went to a flagged flat (hubs such as dormitories never count as flagged; the flagged flats
of a large landlord do, as they do for the landlord himself).
"""

from __future__ import annotations

import datetime as dt

import duckdb

from zonewatch.network.base import has_column, has_table
from zonewatch.network.settings import NetworkSettings

NO_OFFICE = "(no office)"  # officials whose office is unknown form one peer group


def build_approvals(con: duckdb.DuckDBPyConnection, as_of: dt.date, p: NetworkSettings) -> int:
    """nw_appr(official_id, office_id, start_date, flagged); returns its row count."""
    if not has_column(con, "registrations", "official_id"):
        return 0
    office = "r.office_id" if has_column(con, "registrations", "office_id") else "NULL"
    join = ""
    if has_table(con, "officials"):
        office = f"coalesce({office}, o.office_id)"
        join = "LEFT JOIN officials o ON o.official_id = r.official_id"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nw_appr AS
        SELECT r.official_id, coalesce({office}, '{NO_OFFICE}') AS office_id, r.start_date,
               (f.property_id IS NOT NULL AND h.property_id IS NULL) AS flagged
        FROM registrations r {join}
        LEFT JOIN nw_flagged f ON f.property_id = r.property_id
        LEFT JOIN nw_hub_props h ON h.property_id = r.property_id AND NOT h.by_landlord
        WHERE r.official_id IS NOT NULL
          AND r.start_date <= $d AND r.start_date > $d - to_days($w)
        """,
        {"d": as_of, "w": int(p.official_window_days)},
    )
    return con.execute("SELECT count(*) FROM nw_appr").fetchall()[0][0]
