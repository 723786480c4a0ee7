"""Initial schema: users, tokens, audit, register, runs, inspection plans and outcomes.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-27 08:19:25.161728
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "analysis_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=1024), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("flag_counts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("path"),
    )
    with op.batch_alter_table("analysis_runs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_analysis_runs_as_of"), ["as_of"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("target_type", sa.String(length=32), nullable=False),
        sa.Column("target_id", sa.String(length=255), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_username"), ["username"], unique=False)

    op.create_table(
        "inspection_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_path", sa.String(length=1024), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("teams", sa.Integer(), nullable=False),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("visits_per_day", sa.Integer(), nullable=False),
        sa.Column("start_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "register_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("zone", sa.String(length=255), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("updated_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_table(
        "store_meta",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("username"),
    )
    op.create_table(
        "api_tokens",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("token_hash"),
    )
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_tokens_user_id"), ["user_id"], unique=False)

    op.create_table(
        "plan_team_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["inspection_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("plan_id", "team", "username"),
    )
    with op.batch_alter_table("plan_team_members", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_team_members_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_team_members_username"), ["username"], unique=False
        )

    op.create_table(
        "plan_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("team", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("visit_on", sa.Date(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("property_id", sa.String(length=255), nullable=False),
        sa.Column("district", sa.String(length=255), nullable=True),
        sa.Column("building_id", sa.String(length=255), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("rank", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["plan_id"], ["inspection_plans.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("plan_visits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_visits_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_plan_visits_property_id"), ["property_id"], unique=False
        )

    op.create_table(
        "register_measures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("responsible", sa.String(length=255), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("proposed_on", sa.Date(), nullable=True),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["entry_id"], ["register_entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("register_measures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_measures_entry_id"), ["entry_id"], unique=False
        )

    op.create_table(
        "register_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("changed_by", sa.String(length=64), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["entry_id"], ["register_entries.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("entry_id", "version"),
    )
    with op.batch_alter_table("register_versions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_register_versions_entry_id"), ["entry_id"], unique=False
        )

    op.create_table(
        "inspection_outcomes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inspection_id", sa.String(length=64), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=True),
        sa.Column("property_id", sa.String(length=255), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=False),
        sa.Column("persons_found", sa.Integer(), nullable=True),
        sa.Column("fictitious_count", sa.Integer(), nullable=True),
        sa.Column("brokering", sa.Boolean(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recorded_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["visit_id"], ["plan_visits.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inspection_id"),
    )
    with op.batch_alter_table("inspection_outcomes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_inspection_outcomes_property_id"), ["property_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_inspection_outcomes_visit_id"), ["visit_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("inspection_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_outcomes_visit_id"))
        batch_op.drop_index(batch_op.f("ix_inspection_outcomes_property_id"))

    op.drop_table("inspection_outcomes")
    with op.batch_alter_table("register_versions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_versions_entry_id"))

    op.drop_table("register_versions")
    with op.batch_alter_table("register_measures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_register_measures_entry_id"))

    op.drop_table("register_measures")
    with op.batch_alter_table("plan_visits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_visits_property_id"))
        batch_op.drop_index(batch_op.f("ix_plan_visits_plan_id"))

    op.drop_table("plan_visits")
    with op.batch_alter_table("plan_team_members", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_team_members_username"))
        batch_op.drop_index(batch_op.f("ix_plan_team_members_plan_id"))

    op.drop_table("plan_team_members")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_tokens_user_id"))

    op.drop_table("api_tokens")
    op.drop_table("users")
    op.drop_table("store_meta")
    op.drop_table("register_entries")
    op.drop_table("inspection_plans")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_username"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("analysis_runs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_analysis_runs_as_of"))

    op.drop_table("analysis_runs")
