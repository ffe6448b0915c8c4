"""rating_criteria and service_ratings: 服务单位月评议 (the county's criteria, each rater's monthly score sheet)

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "rating_criteria",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("max_points", sa.Numeric(6, 1), nullable=False),
        sa.Column("sort_order", sa.Integer(), server_default="0", nullable=False),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("max_points > 0", name=op.f("ck_rating_criteria_max_points_positive")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_rating_criteria_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rating_criteria")),
        sa.UniqueConstraint("unit_id", "name", name=op.f("uq_rating_criteria_unit_id_name")),
    )
    with op.batch_alter_table("rating_criteria", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rating_criteria_unit_id"), ["unit_id"], unique=False)
    op.create_table(
        "service_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("service_unit_id", sa.Integer(), nullable=False),
        sa.Column("rater_id", sa.Integer(), nullable=False),
        sa.Column("points", sa.JSON(), nullable=False),
        sa.Column("total", sa.Numeric(6, 1), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("total >= 0", name=op.f("ck_service_ratings_total_not_negative")),
        sa.ForeignKeyConstraint(["county_id"], ["units.id"], name=op.f("fk_service_ratings_county_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["rater_id"], ["users.id"], name=op.f("fk_service_ratings_rater_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["service_unit_id"], ["units.id"], name=op.f("fk_service_ratings_service_unit_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_service_ratings_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_ratings")),
        sa.UniqueConstraint("period", "service_unit_id", "rater_id", name=op.f("uq_service_ratings_period_service_unit_id_rater_id")),
    )
    with op.batch_alter_table("service_ratings", schema=None) as batch_op:
        batch_op.create_index("ix_service_ratings_county_period", ["county_id", "period"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_ratings_rater_id"), ["rater_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_ratings_service_unit_id"), ["service_unit_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_service_ratings_unit_id"), ["unit_id"], unique=False)


def downgrade() -> None:
    op.drop_table("service_ratings")
    op.drop_table("rating_criteria")
