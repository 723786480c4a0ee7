"""Working tables shared by the owner, official and network steps.

Everything is built once per run as TEMP tables (prefix `nw_`), so nothing leaks into
the database the analysis keeps: flagged properties, current ownerships, recent
registrations and the legitimate hubs kept out of clustering.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import duckdb

from zonewatch.indicators.kinship import OWNER_FAMILY_SQL
from zonewatch.network.settings import NetworkSettings


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether a (non-temporary or temporary) table or view of that name exists."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]
    ).fetchall()[0]
    return bool(row and row[0])


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether `table` has `column`."""
    row = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
        [table, column],
    ).fetchall()[0]
    return bool(row and row[0])


def _opt(con: duckdb.DuckDBPyConnection, table: str, column: str, fallback: str = "NULL") -> str:
    """`column` when the table has it, else a typed fallback expression."""
    return column if has_column(con, table, column) else fallback


def build_flagged(con: duckdb.DuckDBPyConnection, p: NetworkSettings) -> int:
    """nw_pscore(property_id, score, prank, fired) and nw_flagged(property_id, score):
    flagged = at least one indicator fired, score above the floor, in the top quantile.
    Returns how many are flagged."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE nw_pscore AS
        SELECT property_id, coalesce(score, 0)::DOUBLE AS score,
               percent_rank() OVER (ORDER BY coalesce(score, 0)) AS prank,
               coalesce(indicators, '') <> '' AS fired
        FROM property_scores
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE nw_flagged AS
        SELECT property_id, score FROM nw_pscore
        WHERE fired AND score > ? AND prank >= ?
        """,
        [float(p.flag_min_score), float(p.flag_quantile)],
    )
    return con.execute("SELECT count(*) FROM nw_flagged").fetchall()[0][0]


def build_ownerships(con: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    """nw_own(property_id, owner_id, owner_type, share): ownerships current on the as-of date."""
    if not has_table(con, "ownerships"):
        con.execute(
            "CREATE OR REPLACE TEMP TABLE nw_own (property_id VARCHAR, owner_id VARCHAR, "
            "owner_type VARCHAR, share DOUBLE)"
        )
        return
    share = _opt(con, "ownerships", "share", "NULL::DOUBLE")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nw_own AS
        SELECT property_id, owner_id, owner_type,
               coalesce({share}, 1.0 / count(*) OVER (PARTITION BY property_id)) AS share
        FROM ownerships
        WHERE start_date <= ? AND (end_date IS NULL OR end_date > ?)
        """,
        [as_of, as_of],
    )


def build_registrations(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, p: NetworkSettings
) -> None:
    """nw_regs: registrations that started within recent_days, or ended within
    ended_recent_days, before the as-of date, or are still active."""
    cols = {
        c: _opt(con, "registrations", c)
        for c in ("official_id", "office_id", "owner_consent", "processed_at")
    }
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nw_regs AS
        SELECT person_id, property_id, start_date, end_date,
               {cols['official_id']}::VARCHAR AS official_id,
               {cols['office_id']}::VARCHAR AS office_id,
               {cols['owner_consent']}::VARCHAR AS owner_consent,
               {cols['processed_at']}::TIMESTAMP AS processed_at,
               (start_date <= $d AND (end_date IS NULL OR end_date > $d)) AS active
        FROM registrations
        WHERE start_date <= $d
          AND (end_date IS NULL OR end_date > $d - to_days($e) OR start_date > $d - to_days($r))
        """,
        {"d": as_of, "r": int(p.recent_days), "e": int(p.ended_recent_days)},
    )


def build_hubs(con: duckdb.DuckDBPyConnection, p: NetworkSettings) -> None:
    """nw_hub_owners(owner_id, reason, landlord) and nw_hub_props(property_id, reason,
    by_landlord).

    Hubs are legitimate places many people pass through: dormitories, hostels, social
    institutions, universities and state bodies, and large landlords of normal flats.
    Buildings are never edges of the graph, so a whole new building links nothing. A
    landlord stays out of groups and networks but still answers, as an owner, for the
    flagged flats among his normal ones (`landlord`, `by_landlord` mark those rows).
    """
    params: dict[str, Any] = {
        "min_props": int(p.landlord_min_properties),
        "max_share": float(p.landlord_max_flagged_share),
    }
    org_hubs = ("SELECT NULL::VARCHAR AS owner_id, NULL::VARCHAR AS reason, false AS landlord "
                "WHERE false")
    if has_table(con, "organizations"):
        params["org_kinds"] = list(p.hub_org_kinds)
        org_hubs = (
            "SELECT o.owner_id, 'organization of kind ' || g.kind AS reason, false AS landlord "
            "FROM (SELECT DISTINCT owner_id FROM nw_own WHERE owner_type = 'organization') o "
            "JOIN organizations g ON g.org_id = o.owner_id "
            "WHERE list_contains($org_kinds, g.kind)"
        )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nw_hub_owners AS
        {org_hubs}
        UNION ALL
        SELECT owner_id, 'landlord of ' || n || ' properties, ' || f || ' flagged', true
        FROM (SELECT o.owner_id, count(DISTINCT o.property_id) AS n,
                     count(DISTINCT fl.property_id) AS f
              FROM nw_own o LEFT JOIN nw_flagged fl USING (property_id)
              GROUP BY o.owner_id)
        WHERE n >= $min_props AND f <= $max_share * n
        """,
        params,
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE nw_hub_props AS
        SELECT property_id, any_value(reason) AS reason, bool_and(landlord) AS by_landlord
        FROM (
            SELECT property_id, 'a ' || kind AS reason, false AS landlord FROM properties
            WHERE list_contains($kinds, kind)
            UNION ALL
            SELECT o.property_id, 'owned by a hub owner (' || h.reason || ')', h.landlord
            FROM nw_own o JOIN nw_hub_owners h USING (owner_id)
        ) GROUP BY property_id
        """,
        {"kinds": list(p.hub_property_kinds)},
    )


def build_owner_flagged(
    con: duckdb.DuckDBPyConnection, as_of: dt.date, p: NetworkSettings
) -> None:
    """nw_consent(property_id, strangers, no_consent, consented, owner_weight) and
    nw_owner_flagged(property_id, score, owner_score): what a flagged flat says about its owner.

    A registration approved without the owner's consent (`owner_consent = none`) accuses
    the approving official, not the owner. A flagged flat whose strangers (recent
    registrants other than its owners and their family, arrived within `recent_days`:
    long-standing co-residents are the household) all came without consent is the
    victim's signature (a hijacked flat): it does not count for the owner. Once the owner
    has consented to strangers (any other value, or unknown), the registrations without
    consent at the same flat cannot be told from a broker's shortcut through a friendly
    official, so the owner answers for the flat's score in proportion to the consented
    strangers, fully from `owner_consented_strangers` of them.
    """
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE nw_consent AS
        WITH fam AS ({OWNER_FAMILY_SQL}
                     UNION ALL SELECT property_id, owner_id FROM nw_own),
        s AS (
            SELECT r.property_id, r.person_id,
                   bool_and(lower(coalesce(r.owner_consent, '')) = 'none') AS none_only
            FROM nw_regs r JOIN nw_flagged f ON f.property_id = r.property_id
            ANTI JOIN fam ON fam.property_id = r.property_id AND fam.person_id = r.person_id
            WHERE r.start_date > $d - to_days($r)
            GROUP BY r.property_id, r.person_id
        )
        SELECT property_id, count(*) AS strangers, count(*) FILTER (none_only) AS no_consent,
               count(*) FILTER (NOT none_only) AS consented,
               least(1.0, count(*) FILTER (NOT none_only) / $full::DOUBLE) AS owner_weight
        FROM s GROUP BY property_id
        """,
        {"full": max(1, int(p.owner_consented_strangers)), "d": as_of,
         "r": int(p.recent_days)},
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE nw_owner_flagged AS
        SELECT f.property_id, f.score, f.score * coalesce(c.owner_weight, 1.0) AS owner_score
        FROM nw_flagged f LEFT JOIN nw_consent c ON c.property_id = f.property_id
        WHERE coalesce(c.owner_weight, 1.0) > 0
        """
    )
