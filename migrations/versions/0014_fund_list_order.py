"""fund_arrivals: the 到位资金 list's order (period, id) as one index

The list shows the newest 25 by period and id; an index on the period alone made PostgreSQL read and sort every
row of the newest month first. The new index serves the period filters as the old one did.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("fund_arrivals", schema=None) as batch_op:
        batch_op.create_index("ix_fund_arrivals_period_id", ["period", "id"], unique=False)
        batch_op.drop_index("ix_fund_arrivals_period")


def downgrade() -> None:
    with op.batch_alter_table("fund_arrivals", schema=None) as batch_op:
        batch_op.create_index("ix_fund_arrivals_period", ["period"], unique=False)
        batch_op.drop_index("ix_fund_arrivals_period_id")
