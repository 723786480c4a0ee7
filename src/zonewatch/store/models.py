"""Tables of the operational store: what people write, as opposed to what the analysis computes.

Analysis results stay in the run directory; the store keeps users, tokens, the audit trail,
register entries with every version, measures, registered analysis runs, inspection plans,
visits and outcomes. The Alembic migrations in `zonewatch.store.migrations` create exactly these.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

ROLES: tuple[str, ...] = ("admin", "analyst", "inspector", "auditor")
ENTRY_STATUSES: tuple[str, ...] = ("identified", "assessed", "mitigating", "monitored", "closed")
MEASURE_STATUSES: tuple[str, ...] = ("proposed", "adopted", "in_force", "abandoned")
OUTCOMES: tuple[str, ...] = ("violation", "no_violation", "no_access")


class Base(DeclarativeBase):
    """Declarative base of every store table."""


class StoreMeta(Base):
    """Key/value facts about the store itself (e.g. the pseudonymisation key)."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class User(Base):
    """A person who logs in; `role` is one of ROLES."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class ApiToken(Base):
    """A login: the SHA-256 of a bearer token / session cookie value."""

    __tablename__ = "api_tokens"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    user: Mapped[User] = relationship()


class AuditEvent(Base):
    """Who did or read what, when: every read of personal data and every change."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    role: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(32))
    target_type: Mapped[str] = mapped_column(String(32))
    target_id: Mapped[str] = mapped_column(String(255))
    detail: Mapped[dict | None] = mapped_column(JSON, nullable=True)
    # the hash chain (since 0004_audit_chain; see zonewatch.store.audit)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    row_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)


class RegisterEntry(Base):
    """The current version of one register entry; `document` holds every field."""

    __tablename__ = "register_entries"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(255))
    status: Mapped[str] = mapped_column(String(16))
    zone: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(64))
    measures: Mapped[list[Measure]] = relationship(
        back_populates="entry", cascade="all, delete-orphan", order_by="Measure.position"
    )


class RegisterVersion(Base):
    """One saved version of an entry: the full document plus who, when, what changed and why."""

    __tablename__ = "register_versions"
    __table_args__ = (UniqueConstraint("entry_id", "version"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("register_entries.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    changes: Mapped[list] = mapped_column(JSON)
    reason: Mapped[str] = mapped_column(Text)
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime)


class Measure(Base):
    """A measure against an entry's causes, mirrored from the entry document for queries."""

    __tablename__ = "register_measures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entry_id: Mapped[int] = mapped_column(
        ForeignKey("register_entries.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(255))
    responsible: Mapped[str | None] = mapped_column(String(255), nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    proposed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    effective_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    entry: Mapped[RegisterEntry] = relationship(back_populates="measures")


class AnalysisRun(Base):
    """A registered analysis run directory and its per-indicator flag counts (for trends)."""

    __tablename__ = "analysis_runs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    path: Mapped[str] = mapped_column(String(1024), unique=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    registered_at: Mapped[datetime] = mapped_column(DateTime)
    flag_counts: Mapped[dict] = mapped_column(JSON)


class InspectionPlan(Base):
    """A capacity-bounded set of visits built from one run's ranked properties."""

    __tablename__ = "inspection_plans"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_path: Mapped[str] = mapped_column(String(1024))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(64))
    teams: Mapped[int] = mapped_column(Integer)
    days: Mapped[int] = mapped_column(Integer)
    visits_per_day: Mapped[int] = mapped_column(Integer)
    start_on: Mapped[date] = mapped_column(Date)
    visits: Mapped[list[PlanVisit]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanVisit.id"
    )
    assignments: Mapped[list[TeamAssignment]] = relationship(
        back_populates="plan", cascade="all, delete-orphan"
    )


class TeamAssignment(Base):
    """Which inspector user works for which team of a plan."""

    __tablename__ = "plan_team_members"
    __table_args__ = (UniqueConstraint("plan_id", "team", "username"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_plans.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[int] = mapped_column(Integer)
    username: Mapped[str] = mapped_column(String(64), index=True)
    plan: Mapped[InspectionPlan] = relationship(back_populates="assignments")


class PlanVisit(Base):
    """One planned visit: team, day, order in the day's route, and the property."""

    __tablename__ = "plan_visits"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("inspection_plans.id", ondelete="CASCADE"), index=True
    )
    team: Mapped[int] = mapped_column(Integer)
    day: Mapped[int] = mapped_column(Integer)
    visit_on: Mapped[date] = mapped_column(Date)
    seq: Mapped[int] = mapped_column(Integer)
    property_id: Mapped[str] = mapped_column(String(255), index=True)
    district: Mapped[str | None] = mapped_column(String(255), nullable=True)
    building_id: Mapped[str | None] = mapped_column(String(255), nullable=True)
    address: Mapped[str | None] = mapped_column(Text, nullable=True)  # since 0002
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lon: Mapped[float | None] = mapped_column(Float, nullable=True)
    rank: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    # since 0003_plan_selection: target (by rank) or explore (drawn), P(in plan), stratum
    selection: Mapped[str] = mapped_column(String(8), default="target")
    inclusion_probability: Mapped[float] = mapped_column(Float, default=1.0)
    stratum: Mapped[str | None] = mapped_column(String(16), nullable=True)
    plan: Mapped[InspectionPlan] = relationship(back_populates="visits")


class InspectionOutcome(Base):
    """What a field check found, in the contract's `inspections` shape."""

    __tablename__ = "inspection_outcomes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[str] = mapped_column(String(64), unique=True)
    visit_id: Mapped[int | None] = mapped_column(  # one outcome per visit (0004_audit_chain)
        ForeignKey("plan_visits.id", ondelete="SET NULL"), nullable=True, index=True, unique=True
    )
    property_id: Mapped[str] = mapped_column(String(255), index=True)
    inspected_on: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str] = mapped_column(String(16))
    persons_found: Mapped[int | None] = mapped_column(Integer, nullable=True)
    fictitious_count: Mapped[int | None] = mapped_column(Integer, nullable=True)
    brokering: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    notes: Mapped[str | None] = mapped_column(Text, nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(DateTime)
