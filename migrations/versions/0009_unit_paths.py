"""units.path: the materialised path of each unit, so that a subtree is one LIKE instead of a list of ids

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("path", sa.String(length=400), server_default="", nullable=False))
        batch_op.create_index(batch_op.f("ix_units_path"), ["path"], unique=False)
    # Top units first, then one level further down per statement, until no unit is left to reach (units in a
    # cycle of bad data keep no path, so nothing is ever found below them).
    connection = op.get_bind()
    connection.execute(sa.text("UPDATE units SET path = '/' || id || '/' WHERE parent_id IS NULL"))
    while connection.execute(sa.text(
        "UPDATE units SET path = (SELECT parent.path FROM units AS parent WHERE parent.id = units.parent_id) || id || '/' "
        "WHERE path = '' AND parent_id IN (SELECT reached.id FROM units AS reached WHERE reached.path <> '')"
    )).rowcount:
        pass


def downgrade() -> None:
    with op.batch_alter_table("units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_units_path"))
        batch_op.drop_column("path")
