"""imports and import_items: each spreadsheet import as a record (who, file, hash, counts) and what it wrote, for
its revert; project_stage_events.import_id marks the stage steps an import brought in

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("file_name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("sheet", sa.String(length=100), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("created", sa.Integer(), nullable=False),
        sa.Column("updated", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("audit_from", BigId, nullable=False),
        sa.Column("audit_to", BigId, nullable=False),
        sa.Column("reverted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reverted_by_id", sa.Integer(), nullable=True),
        sa.Column("revert_from", BigId, nullable=True),
        sa.Column("revert_to", BigId, nullable=True),
        sa.ForeignKeyConstraint(["reverted_by_id"], ["users.id"], name=op.f("fk_imports_reverted_by_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_imports_unit_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_imports_user_id_users"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imports")),
    )
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_imports_created_at"), ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_imports_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_imports_unit_id"), ["unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_imports_user_id"), ["user_id"], unique=False)
    op.create_table(
        "import_items",
        sa.Column("id", BigId, nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("record_type", sa.String(length=60), nullable=False),
        sa.Column("record_id", BigId, nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("row", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["imports.id"], name=op.f("fk_import_items_import_id_imports"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_items")),
    )
    with op.batch_alter_table("import_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_import_items_import_id"), ["import_id"], unique=False)
    with op.batch_alter_table("project_stage_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_project_stage_events_import_id"), ["import_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_project_stage_events_import_id_imports"), "imports", ["import_id"], ["id"], ondelete="SET NULL"
        )


def downgrade() -> None:
    with op.batch_alter_table("project_stage_events", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_project_stage_events_import_id_imports"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_project_stage_events_import_id"))
        batch_op.drop_column("import_id")
    with op.batch_alter_table("import_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_import_items_import_id"))
    op.drop_table("import_items")
    with op.batch_alter_table("imports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_imports_user_id"))
        batch_op.drop_index(batch_op.f("ix_imports_unit_id"))
        batch_op.drop_index(batch_op.f("ix_imports_sha256"))
        batch_op.drop_index(batch_op.f("ix_imports_created_at"))
    op.drop_table("imports")
