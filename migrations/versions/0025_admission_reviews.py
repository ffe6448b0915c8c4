"""admission_reviews: 准入评审 (初审 by the unit, 会审 by the county, outcome 通过 / 有条件通过 / 不通过)

The county's 评审表 (and whether a passed review is part of the 签约 gate) is a report_settings row (key
admission_sheet): no table.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "admission_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.Enum("awaiting_joint", "prelim_rejected", "decided", name="admission_review_status", native_enum=False,
                                    create_constraint=True, length=23), nullable=False),
        sa.Column("sheet", sa.JSON(), nullable=False),
        sa.Column("investment_intensity", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("tax_per_mu", sa.Numeric(precision=12, scale=2), nullable=True),
        sa.Column("prelim_on", sa.Date(), nullable=False),
        sa.Column("prelim_opinion", sa.Text(), nullable=False),
        sa.Column("prelim_by_id", sa.Integer(), nullable=True),
        sa.Column("joint_on", sa.Date(), nullable=True),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("minutes", sa.Text(), nullable=True),
        sa.Column("scores", sa.JSON(), nullable=True),
        sa.Column("vetoes_hit", sa.JSON(), nullable=True),
        sa.Column("total_score", sa.Numeric(precision=8, scale=2), nullable=True),
        sa.Column("outcome", sa.Enum("passed", "conditional", "rejected", name="admission_outcome", native_enum=False, create_constraint=True,
                                     length=19), nullable=True),
        sa.Column("conditions", sa.Text(), nullable=True),
        sa.Column("joint_by_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("status <> 'decided' OR outcome IS NOT NULL", name=op.f("ck_admission_reviews_decided_has_outcome")),
        sa.CheckConstraint("outcome <> 'conditional' OR length(trim(coalesce(conditions, ''))) > 0",
                           name=op.f("ck_admission_reviews_conditional_has_conditions")),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_admission_reviews_project_id_projects"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["prelim_by_id"], ["users.id"], name=op.f("fk_admission_reviews_prelim_by_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["joint_by_id"], ["users.id"], name=op.f("fk_admission_reviews_joint_by_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_admission_reviews_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_admission_reviews")),
    )
    with op.batch_alter_table("admission_reviews", schema=None) as batch_op:
        for column in ("project_id", "status", "outcome", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_admission_reviews_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("admission_reviews")
