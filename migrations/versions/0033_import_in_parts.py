"""imports.rows_done, imports.finished_at, imports.upload_token and import_items.audit_from/audit_to: an import written in
parts, one part per request, that can be left and resumed (issue 13)

Revision ID: 0033
Revises: 0028
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0033"
down_revision = "0028"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("imports") as batch:
        batch.add_column(sa.Column("rows_done", sa.Integer(), server_default="0", nullable=False))
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("upload_token", sa.String(length=60), nullable=True))
    # Every import before this one was written whole, in one transaction.
    op.execute("UPDATE imports SET rows_done = rows, finished_at = created_at")
    with op.batch_alter_table("import_items") as batch:
        batch.add_column(sa.Column("audit_from", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))
        batch.add_column(sa.Column("audit_to", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_items") as batch:
        batch.drop_column("audit_to")
        batch.drop_column("audit_from")
    with op.batch_alter_table("imports") as batch:
        batch.drop_column("upload_token")
        batch.drop_column("finished_at")
        batch.drop_column("rows_done")
