"""Kinship and households: one definition, read by the indicators and the network room.

Who is whose family is decided once, in SQL, by `prepare` (tables `zw_person_stem`,
`zw_members`, `zw_ties`, `zw_member_flags`, `zw_households`); the network room reads those
tables through the expressions below instead of folding names again in Python. The
constants are the rule's parameters:

- a *surname stem* (gender forms folded, `names.SURNAME_FOLDS`) of at least
  MIN_STEM_LENGTH letters is a family key; shorter stems (Ли) say too little;
- a *parent by name*: the child's patronymic stem is the parent's first name, and the parent
  is `kinship.parent_age_gap` years older when both birth dates are known (a setting,
  indicators/settings.yaml, that the network room's name ties read too);
- people registered within MOVED_IN_WITH_OWNER_DAYS of the owner's own arrival, at most
  MOVED_IN_WITH_OWNER_MAX of them, are the owner's household;
- a declared relation in CLOSE_RELATIONS is close family;
- a *household* is a surname stem at one address, or the person alone when the stem is
  too short (`household_sql`).
"""

from __future__ import annotations

CLOSE_RELATIONS = ("spouse", "child", "parent", "sibling")
MIN_STEM_LENGTH = 3  # shorter stems (Ли, Ким) say too little about kinship
MOVED_IN_WITH_OWNER_DAYS = 3  # registered this close to the owner's own arrival: household
MOVED_IN_WITH_OWNER_MAX = 10  # more arriving with the owner is no household but a batch

# (property_id, person_id) of each address's owners and their family (zw_member_flags)
OWNER_FAMILY_SQL = ("SELECT property_id, person_id FROM zw_member_flags "
                    "WHERE is_owner = 1 OR owner_family = 1")


def stem_ok_sql(stem: str) -> str:
    """SQL: whether the surname stem `stem` is long enough to be a family key."""
    return f"length({stem}) >= {MIN_STEM_LENGTH}"


def household_sql(stem: str, person_id: str) -> str:
    """SQL: the household key of a person: 's:' + surname stem, or 'p:' + the person alone."""
    return f"CASE WHEN {stem_ok_sql(stem)} THEN 's:' || {stem} ELSE 'p:' || {person_id} END"


def parent_by_name_sql(child: str, parent: str, low: int, high: int) -> str:
    """SQL: `parent` (a table alias with first_lc, birth_date) is `child`'s parent by name:
    the child's patronymic stem is the parent's first name, the parent `low`-`high` years
    older when both birth dates are known (first names are few: a name alone meets by
    chance)."""
    return (
        f"{child}.patr_stem = {parent}.first_lc AND {stem_ok_sql(f'{child}.patr_stem')} "
        f"AND ({child}.birth_date IS NULL OR {parent}.birth_date IS NULL OR "
        f"date_diff('day', {parent}.birth_date, {child}.birth_date) "
        f"BETWEEN {low} * 365 AND {high} * 365)"
    )
