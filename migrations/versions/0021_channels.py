"""channels: units' group robots (企业微信 / 钉钉); the outbox also carries their posts, once per (kind, channel, period)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

channel_kind = sa.Enum("wecom", "dingtalk", name="channel_kind", native_enum=False, length=16, create_constraint=True)


def upgrade() -> None:
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", channel_kind, nullable=False),
        sa.Column("name", sa.String(length=60), nullable=True),
        sa.Column("webhook_url", sa.String(length=500), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_channels_unit_id_units"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
    )
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channels_unit_id"), ["unit_id"], unique=False)
    # A post has a channel and no recipient: recipient_id becomes optional, and exactly one of the two is set.
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("channel_id", sa.Integer(), nullable=True))
        batch_op.alter_column("recipient_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f("fk_outbox_channel_id_channels"), "channels", ["channel_id"], ["id"], ondelete="CASCADE")
        batch_op.create_index(batch_op.f("ix_outbox_channel_id"), ["channel_id"], unique=False)
        batch_op.create_unique_constraint(batch_op.f("uq_outbox_kind_channel_id_period"), ["kind", "channel_id", "period"])
        batch_op.create_check_constraint("one_addressee", "(recipient_id IS NULL) <> (channel_id IS NULL)")


def downgrade() -> None:
    op.execute("DELETE FROM outbox WHERE channel_id IS NOT NULL")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_outbox_one_addressee"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_outbox_kind_channel_id_period"), type_="unique")
        batch_op.drop_index(batch_op.f("ix_outbox_channel_id"))
        batch_op.drop_constraint(batch_op.f("fk_outbox_channel_id_channels"), type_="foreignkey")
        batch_op.alter_column("recipient_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("channel_id")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channels_unit_id"))
    op.drop_table("channels")
