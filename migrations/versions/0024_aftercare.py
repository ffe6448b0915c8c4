"""company_requests and company_protections: 安商 (企业诉求 受理 → 办理 → 办结 → 回访, 重点企业挂牌保护)

The county's 宁静日 are a report_settings row (key quiet_days): no table.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-03
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None

CATEGORIES = ("land", "planning", "environment", "financing", "utilities", "approvals", "relocation", "hiring", "talent", "site", "policy")


def _common() -> list[sa.Column]:  # UnitOwned, Versioned, Timestamped
    return [
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "company_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.Enum("request", "complaint", name="request_kind", native_enum=False, create_constraint=True, length=17), nullable=False),
        sa.Column("category", sa.Enum(*CATEGORIES, name="request_category", native_enum=False, create_constraint=True, length=19), nullable=False),
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("responsible_unit_id", sa.Integer(), nullable=False),
        sa.Column("responsible_person", sa.String(length=60), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("deadline_workdays", sa.Integer(), nullable=True),
        sa.Column("status", sa.Enum("accepted", "handling", "done", "revisited", name="request_status", native_enum=False, create_constraint=True,
                                    length=17), nullable=False),
        sa.Column("result", sa.Text(), nullable=True),
        sa.Column("done_on", sa.Date(), nullable=True),
        sa.Column("revisited_on", sa.Date(), nullable=True),
        sa.Column("satisfaction", sa.Enum("satisfied", "mostly", "unsatisfied", name="request_satisfaction", native_enum=False,
                                          create_constraint=True, length=19), nullable=True),
        sa.Column("revisit_note", sa.Text(), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        *_common(),
        sa.CheckConstraint("deadline >= received_on", name=op.f("ck_company_requests_deadline_after_received")),
        sa.CheckConstraint("length(trim(responsible_person)) > 0", name=op.f("ck_company_requests_has_responsible_person")),
        sa.CheckConstraint("status NOT IN ('done', 'revisited') OR done_on IS NOT NULL", name=op.f("ck_company_requests_done_has_date")),
        sa.CheckConstraint("status <> 'revisited' OR satisfaction IS NOT NULL", name=op.f("ck_company_requests_revisit_has_satisfaction")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_requests_company_id_companies"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["responsible_unit_id"], ["units.id"], name=op.f("fk_company_requests_responsible_unit_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name=op.f("fk_company_requests_issue_id_issues"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_company_requests_created_by_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_company_requests_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_requests")),
    )
    with op.batch_alter_table("company_requests", schema=None) as batch_op:
        for column in ("company_id", "received_on", "responsible_unit_id", "deadline", "status", "issue_id", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_company_requests_{column}"), [column], unique=False)
    op.create_table(
        "company_protections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("listed_on", sa.Date(), nullable=False),
        sa.Column("leader_id", sa.Integer(), nullable=False),
        sa.Column("contact_unit_id", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("is_active", sa.Boolean(), server_default=sa.true(), nullable=False),
        *_common(),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_company_protections_company_id_companies"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["leader_id"], ["users.id"], name=op.f("fk_company_protections_leader_id_users"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["contact_unit_id"], ["units.id"], name=op.f("fk_company_protections_contact_unit_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_company_protections_unit_id_units"), ondelete="RESTRICT"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_protections")),
    )
    with op.batch_alter_table("company_protections", schema=None) as batch_op:
        for column in ("company_id", "leader_id", "contact_unit_id", "unit_id"):
            batch_op.create_index(batch_op.f(f"ix_company_protections_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("company_protections")
    op.drop_table("company_requests")
