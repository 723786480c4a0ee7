"""Prepared tables (`zw_*`) every indicator may read: current registrations, owners,
surname stems, family ties and one base row per property.

Built as named SQL steps from whatever contract tables the extract holds, so that indicators
stay short and an occupancy-only extract still gets `zw_property_base`.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import pandas as pd

from zonewatch.engine.base import Backend
from zonewatch.indicators.kinship import (
    CLOSE_RELATIONS,
    MOVED_IN_WITH_OWNER_DAYS,
    MOVED_IN_WITH_OWNER_MAX,
    household_sql,
    parent_by_name_sql,
    stem_ok_sql,
)
from zonewatch.indicators.names import PATRONYMIC_FOLDS, SURNAME_FOLDS, fold_sql, norm_sql
from zonewatch.indicators.params import literal
from zonewatch.indicators.settings import IndicatorSettings, KinshipSettings

BIRTH_REGISTRATION_DAYS = 42  # a registration this soon after birth registers a newborn
RECENT_DAYS = 365  # a registrant who arrived within this many days is a recent arrival


def norms_frame(settings: IndicatorSettings) -> pd.DataFrame:
    """The living-space norms from settings as a table."""
    rows = [{"district": n.district, "m2_per_person": n.m2_per_person,
             "effective_from": n.effective_from} for n in settings.norms]
    frame = pd.DataFrame(rows, columns=["district", "m2_per_person", "effective_from"])
    frame["effective_from"] = pd.to_datetime(frame["effective_from"]).dt.date
    return frame


def prepare(backend: Backend, tables: set[str], as_of: dt.date, settings: IndicatorSettings
            ) -> None:
    """Create the zw_* tables on `backend` for the contract tables in `tables`."""
    when = literal(as_of)

    def col(table: str, name: str, sql_type: str = "VARCHAR") -> str:
        return name if name in backend.columns(table) else f"CAST(NULL AS {sql_type}) AS {name}"

    norms = norms_frame(settings)
    backend.register_table("zw_norms", norms)
    person_level = "registrations" in tables and "persons" in tables
    for name, build in _steps(settings.kinship):
        sql = build(tables, when, col, person_level)
        if sql:
            backend.create_table(name, sql)


def _current_reg(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    if not pl:
        return ""
    cols = ", ".join(
        col("registrations", c) for c in
        ("channel", "office_id", "official_id", "owner_consent")
    )
    return (
        "SELECT registration_id, person_id, property_id, kind, start_date, end_date, "
        f"{cols} FROM registrations WHERE start_date <= {when} "
        f"AND (end_date IS NULL OR end_date > {when})"
    )


def _current_owner(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    if "ownerships" not in tables:
        return ("SELECT CAST(NULL AS VARCHAR) AS property_id, CAST(NULL AS VARCHAR) AS owner_id, "
                "CAST(NULL AS VARCHAR) AS owner_type WHERE 1 = 0")
    return (
        "SELECT DISTINCT property_id, owner_id, owner_type FROM ownerships "
        f"WHERE start_date <= {when} AND (end_date IS NULL OR end_date > {when})"
    )


def _person_stem(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    if not pl:
        return ""
    return (
        f"SELECT person_id, {fold_sql('ln', SURNAME_FOLDS)} AS stem, fn AS first_lc, "
        f"{fold_sql('pn', PATRONYMIC_FOLDS)} AS patr_stem, citizenship, sex, birth_date FROM ("
        f"SELECT person_id, {norm_sql('last_name')} AS ln, {norm_sql('first_name')} AS fn, "
        f"{norm_sql('patronymic')} AS pn, citizenship, sex, birth_date FROM (SELECT person_id, "
        f"last_name, first_name, {col('persons', 'patronymic')}, "
        f"{col('persons', 'citizenship')}, {col('persons', 'sex')}, "
        f"{col('persons', 'birth_date', 'DATE')} FROM persons) p0) p1"
    )


def _members(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    if not pl:
        return ""
    return (
        "SELECT m.property_id, m.person_id, m.is_owner, m.is_registrant, s.stem, s.first_lc, "
        "s.patr_stem, s.birth_date FROM (SELECT property_id, person_id, max(is_owner) AS "
        "is_owner, max(is_reg) AS is_registrant FROM (SELECT property_id, person_id, 0 AS "
        "is_owner, 1 AS is_reg FROM zw_current_reg UNION ALL SELECT property_id, owner_id, 1, 0 "
        "FROM zw_current_owner WHERE owner_type = 'person') u GROUP BY property_id, person_id) m "
        "LEFT JOIN zw_person_stem s ON s.person_id = m.person_id"
    )


def _ties(tables: set[str], when: str, col: Callable[..., str], pl: bool,
          parent_age_gap: tuple[int, int]) -> str:
    """Pairs tied by patronymic (parent and child, `parent_age_gap` years apart when both
    birth dates are known) or by a declared relation.

    Shared surname stems are handled with window counts in `_member_flags` instead of pairs,
    so a dormitory full of Ахметовы does not explode into millions of pairs.
    """
    if not pl:
        return ""
    close = literal(list(CLOSE_RELATIONS))
    low, high = parent_age_gap
    parts = []
    for child, parent in (("m", "o"), ("o", "m")):
        parts.append(
            "SELECT m.property_id, m.person_id, o.person_id AS other_id, 0 AS declared, "
            "1 AS close FROM zw_members m JOIN zw_members o ON o.property_id = m.property_id "
            f"AND o.person_id <> m.person_id AND {parent_by_name_sql(child, parent, low, high)}"
        )
    # people who registered together with the owner, when the owner moved in, are the
    # owner's household (a wife under her own surname, her children); a broker's strangers
    # arrive later, a rubber flat's owner rarely lives there, and a batch is no household
    parts.append(
        "SELECT property_id, person_id, other_id, 0 AS declared, 1 AS close FROM ("
        "SELECT m.property_id, m.person_id, o.person_id AS other_id, "
        "count(*) OVER (PARTITION BY m.property_id) AS arrivals "
        "FROM zw_members m JOIN zw_members o ON o.property_id = m.property_id "
        "AND o.is_owner = 1 AND o.is_registrant = 1 AND o.person_id <> m.person_id "
        "JOIN zw_current_reg rm ON rm.property_id = m.property_id AND rm.person_id = m.person_id "
        "JOIN zw_current_reg ro ON ro.property_id = o.property_id AND ro.person_id = o.person_id "
        "WHERE m.is_registrant = 1 AND abs(date_diff('day', ro.start_date, rm.start_date)) <= "
        f"{MOVED_IN_WITH_OWNER_DAYS}) co WHERE arrivals <= {MOVED_IN_WITH_OWNER_MAX}"
    )
    if "relations" in tables:
        parts.append(
            "SELECT m.property_id, m.person_id, o.person_id AS other_id, 1 AS declared, "
            f"CASE WHEN r.relation IN {close} THEN 1 ELSE 0 END AS close FROM zw_members m "
            "JOIN (SELECT person_id AS a, relative_id AS b, relation FROM relations UNION ALL "
            "SELECT relative_id, person_id, relation FROM relations) r ON r.a = m.person_id "
            "JOIN zw_members o ON o.property_id = m.property_id AND o.person_id = r.b"
        )
    return " UNION ALL ".join(parts)


def _member_flags(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    if not pl:
        return ""
    stem_ok = stem_ok_sql("g.stem")
    return (
        "WITH g AS (SELECT m.*, count(*) OVER (PARTITION BY m.property_id, m.stem) AS stem_n, "
        "sum(m.is_owner) OVER (PARTITION BY m.property_id, m.stem) AS stem_owners "
        "FROM zw_members m), "
        "t AS (SELECT t.property_id, t.person_id, "
        "max(CASE WHEN o.is_owner = 1 AND t.close = 1 THEN 1 ELSE 0 END) AS owner_family, "
        "max(CASE WHEN o.is_owner = 1 AND t.close = 1 AND t.declared = 1 THEN 1 ELSE 0 END) "
        "AS owner_family_declared, max(t.declared) AS has_declared_tie "
        "FROM zw_ties t JOIN zw_members o ON o.property_id = t.property_id "
        "AND o.person_id = t.other_id GROUP BY t.property_id, t.person_id) "
        "SELECT g.property_id, g.person_id, g.is_owner, g.is_registrant, "
        f"CASE WHEN t.owner_family = 1 OR ({stem_ok} AND g.stem_owners - g.is_owner > 0) "
        "THEN 1 ELSE 0 END AS owner_family, "
        "coalesce(t.owner_family_declared, 0) AS owner_family_declared, "
        f"CASE WHEN t.person_id IS NOT NULL OR ({stem_ok} AND g.stem_n > 1) THEN 1 ELSE 0 END "
        "AS has_tie, coalesce(t.has_declared_tie, 0) AS has_declared_tie "
        "FROM g LEFT JOIN t ON t.property_id = g.property_id AND t.person_id = g.person_id"
    )


def _households(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    """Each member's household: a surname group (gender forms folded), or the person alone
    when the stem is too short; a household with a member in the owner's family (a married
    daughter's husband and children) is the owner's family's household."""
    if not pl:
        return ""
    return (
        "SELECT h.*, max(CASE WHEN h.is_owner = 1 OR h.owner_family = 1 THEN 1 ELSE 0 END) "
        "OVER (PARTITION BY h.property_id, h.household) AS household_family FROM ("
        f"SELECT f.*, {household_sql('m.stem', 'f.person_id')} AS household "
        "FROM zw_member_flags f "
        "LEFT JOIN zw_members m ON m.property_id = f.property_id "
        "AND m.person_id = f.person_id) h"
    )


def _property_norm(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    return (
        "SELECT property_id, m2_per_person, effective_from FROM (SELECT p.property_id, "
        "n.m2_per_person, n.effective_from, row_number() OVER (PARTITION BY p.property_id "
        "ORDER BY CASE WHEN n.district = '*' THEN 1 ELSE 0 END, n.effective_from DESC) AS rn "
        "FROM properties p JOIN zw_norms n ON (n.district = p.district OR n.district = '*') "
        f"AND n.effective_from <= {when}) x WHERE rn = 1"
    )


def _property_base(tables: set[str], when: str, col: Callable[..., str], pl: bool) -> str:
    if pl:
        counts = (
            "SELECT f.property_id, count_if(f.is_registrant = 1) AS registered, "
            "count_if(f.is_registrant = 1 AND (f.is_owner = 1 OR f.owner_family = 1)) "
            "AS exempt, "
            "count_if(f.is_registrant = 1 AND f.is_owner = 0 AND f.has_tie = 0) AS unrelated, "
            "count_if(f.is_registrant = 1 AND f.is_owner = 0 AND f.has_declared_tie = 1) "
            "AS tied_declared, "
            "count_if(f.is_registrant = 1 AND f.is_owner = 0 AND f.has_tie = 1 "
            "AND f.has_declared_tie = 0) AS tied_inferred, "
            "count(DISTINCT CASE WHEN f.is_registrant = 1 AND f.household_family = 0 "
            "THEN f.household END) AS stranger_households "
            "FROM zw_households f GROUP BY f.property_id"
        )
        # a registration starting at (or within a few weeks of) the person's birth is a birth
        fresh = (
            "SELECT r.property_id, count(DISTINCT CASE WHEN r.start_date >= n.effective_from "
            "AND (s.birth_date IS NULL OR date_diff('day', s.birth_date, r.start_date) > "
            f"{BIRTH_REGISTRATION_DAYS}) THEN r.person_id END) AS new_since_norm, "
            "count(DISTINCT CASE WHEN date_diff('day', r.start_date, "
            f"{when}) <= {RECENT_DAYS} THEN r.person_id END) AS recent_arrivals "
            "FROM zw_current_reg r JOIN zw_member_flags f ON f.property_id = r.property_id "
            "AND f.person_id = r.person_id LEFT JOIN zw_person_stem s ON s.person_id = "
            "r.person_id LEFT JOIN zw_property_norm n ON n.property_id = r.property_id "
            "WHERE f.is_owner = 0 AND f.owner_family = 0 GROUP BY r.property_id"
        )
        level = "1"
    else:
        counts = (
            "SELECT property_id, registered, CAST(NULL AS BIGINT) AS exempt, "
            "CAST(NULL AS BIGINT) AS unrelated, CAST(NULL AS BIGINT) AS tied_declared, "
            "CAST(NULL AS BIGINT) AS tied_inferred, CAST(NULL AS BIGINT) AS "
            "stranger_households FROM (SELECT property_id, "
            "CAST(registered AS BIGINT) AS registered, row_number() OVER (PARTITION BY "
            f"property_id ORDER BY as_of DESC) AS rn FROM occupancy WHERE as_of <= {when}) o "
            "WHERE rn = 1"
        )
        fresh = ("SELECT CAST(NULL AS VARCHAR) AS property_id, CAST(NULL AS BIGINT) AS "
                 "new_since_norm, CAST(NULL AS BIGINT) AS recent_arrivals WHERE 1 = 0")
        level = "0"
    area = col("properties", "area_m2", "DOUBLE")
    return (
        "SELECT p.property_id, p.district, p.building_id, p.kind, p.area_m2, p.rooms, "
        "coalesce(c.registered, 0) AS registered, c.exempt, "
        "coalesce(c.registered, 0) - coalesce(c.exempt, 0) AS non_exempt, "
        "c.unrelated, c.tied_declared, c.tied_inferred, c.stranger_households, "
        f"CASE WHEN {level} = 1 THEN coalesce(fr.new_since_norm, 0) END AS new_since_norm, "
        f"CASE WHEN {level} = 1 THEN coalesce(fr.recent_arrivals, 0) END AS recent_arrivals, "
        # share of registrants who form one household with the owner's family, or are the
        # only (tenant) household at the address; a second stranger family is not "family"
        "CASE WHEN c.registered IS NULL OR c.exempt IS NULL THEN NULL "
        "WHEN c.registered = 0 THEN 0.0 "
        "WHEN c.stranger_households = 0 OR (c.exempt = 0 AND c.stranger_households = 1) "
        "THEN 1.0 - coalesce(c.unrelated, 0) / CAST(c.registered AS DOUBLE) "
        "ELSE c.exempt / CAST(c.registered AS DOUBLE) END AS family_share, "
        "n.m2_per_person AS norm_m2, n.effective_from AS norm_from, "
        "CASE WHEN p.area_m2 > 0 AND n.m2_per_person > 0 THEN "
        "greatest(1, CAST(floor(p.area_m2 / n.m2_per_person) AS BIGINT)) END AS allowed, "
        f"{level} AS person_level FROM (SELECT property_id, district, "
        f"{col('properties', 'building_id')}, kind, {area}, "
        f"{col('properties', 'rooms', 'BIGINT')} FROM properties) p "
        f"LEFT JOIN ({counts}) c ON c.property_id = p.property_id "
        f"LEFT JOIN ({fresh}) fr ON fr.property_id = p.property_id "
        "LEFT JOIN zw_property_norm n ON n.property_id = p.property_id"
    )


def _steps(kinship: KinshipSettings
           ) -> tuple[tuple[str, Callable[[set[str], str, Callable[..., str], bool], str]], ...]:
    """The zw_* tables in build order, each with the function writing its SQL."""
    return (
        ("zw_current_reg", _current_reg),
        ("zw_current_owner", _current_owner),
        ("zw_person_stem", _person_stem),
        ("zw_members", _members),
        ("zw_ties", functools.partial(_ties, parent_age_gap=kinship.parent_age_gap)),
        ("zw_member_flags", _member_flags),
        ("zw_households", _households),
        ("zw_property_norm", _property_norm),
        ("zw_property_base", _property_base),
    )
