"""reminder_letters: each 提醒函 the daily alert job issued to a 分包县级领导 whose key project turned red

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "reminder_letters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("cause_key", sa.String(length=120), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["leader_id"], ["users.id"], name=op.f("fk_reminder_letters_leader_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_reminder_letters_project_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_letters")),
        sa.UniqueConstraint("project_id", "leader_id", "cause_key", name=op.f("uq_reminder_letters_project_id_leader_id_cause_key")),
    )
    with op.batch_alter_table("reminder_letters", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminder_letters_issued_on"), ["issued_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_letters_leader_id"), ["leader_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reminder_letters_project_id"), ["project_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reminder_letters", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminder_letters_project_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_letters_leader_id"))
        batch_op.drop_index(batch_op.f("ix_reminder_letters_issued_on"))
    op.drop_table("reminder_letters")
