"""duplicate_queue_visits: when each reviewer last looked at the duplicate queue (what is new since)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "duplicate_queue_visits",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("baseline", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_duplicate_queue_visits_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("user_id", name=op.f("pk_duplicate_queue_visits")),
    )
    with op.batch_alter_table("duplicate_groups", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_duplicate_groups_created_at"), ["created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duplicate_groups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_groups_created_at"))
    op.drop_table("duplicate_queue_visits")
