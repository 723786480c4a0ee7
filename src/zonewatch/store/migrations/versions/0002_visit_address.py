"""Plan visits carry the property's address, so inspectors see where to go.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 08:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("address", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("plan_visits", schema=None) as batch_op:
        batch_op.drop_column("address")
