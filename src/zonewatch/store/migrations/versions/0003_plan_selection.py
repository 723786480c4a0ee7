"""Plan visits record whether they were a target or an exploration draw, and with what
inclusion probability, so outcomes can be weighted back to the city (Horvitz-Thompson).

Revision ID: 0003_plan_selection
Revises: 0002
Create Date: 2026-12-04 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_plan_selection"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("selection", sa.String(8), nullable=False,
                                      server_default="target"))
        batch_op.add_column(sa.Column("inclusion_probability", sa.Float(), nullable=False,
                                      server_default="1.0"))
        batch_op.add_column(sa.Column("stratum", sa.String(16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_visits", schema=None) as batch_op:
        batch_op.drop_column("stratum")
        batch_op.drop_column("inclusion_probability")
        batch_op.drop_column("selection")
