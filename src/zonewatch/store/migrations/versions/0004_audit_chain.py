"""The audit log becomes a hash chain; a visit has at most one outcome.

Existing audit rows are chained in id order (so `zonewatch audit verify` holds on an
upgraded store) and the chain's head is kept in store_meta. A store holding two outcomes
for one visit is refused with the visit ids: decide which is right, then upgrade.

Revision ID: 0004_audit_chain
Revises: 0002
Create Date: 2026-12-04 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from zonewatch.store.audit import CONTENT, GENESIS, HEAD_KEY, content_hash

revision = "0004_audit_chain"
down_revision = "0003_plan_selection"
branch_labels = None
depends_on = None

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("username", sa.String),
    sa.column("role", sa.String),
    sa.column("action", sa.String),
    sa.column("target_type", sa.String),
    sa.column("target_id", sa.String),
    sa.column("detail", sa.JSON),
    sa.column("prev_hash", sa.String),
    sa.column("row_hash", sa.String),
)
_meta = sa.table("store_meta", sa.column("key", sa.String), sa.column("value", sa.Text))


def _chain_existing(conn: sa.Connection) -> None:
    prev, last = GENESIS, 0
    rows = conn.execute(sa.select(*[_audit.c[n] for n in CONTENT]).order_by(_audit.c.id))
    for row in rows.mappings().all():
        digest = content_hash(prev, row)
        conn.execute(
            _audit.update().where(_audit.c.id == row["id"]).values(prev_hash=prev, row_hash=digest)
        )
        prev, last = digest, row["id"]
    conn.execute(_meta.delete().where(_meta.c.key == HEAD_KEY))
    conn.execute(_meta.insert().values(key=HEAD_KEY, value=f"{last}:{prev}"))


def upgrade() -> None:
    conn = op.get_bind()
    doubled = conn.execute(sa.text(
        "SELECT visit_id FROM inspection_outcomes WHERE visit_id IS NOT NULL "
        "GROUP BY visit_id HAVING COUNT(*) > 1 ORDER BY visit_id"
    )).scalars().all()
    if doubled:
        raise RuntimeError(
            "visits with more than one outcome: " + ", ".join(map(str, doubled))
            + "; keep one per visit, then upgrade"
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("row_hash", sa.String(length=64), nullable=True))
    with op.batch_alter_table("inspection_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_outcomes_visit_id"))
        batch_op.create_index(
            batch_op.f("ix_inspection_outcomes_visit_id"), ["visit_id"], unique=True
        )
    _chain_existing(conn)


def downgrade() -> None:
    with op.batch_alter_table("inspection_outcomes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inspection_outcomes_visit_id"))
        batch_op.create_index(
            batch_op.f("ix_inspection_outcomes_visit_id"), ["visit_id"], unique=False
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_column("row_hash")
        batch_op.drop_column("prev_hash")
    op.execute(sa.text(f"DELETE FROM store_meta WHERE key = '{HEAD_KEY}'"))
