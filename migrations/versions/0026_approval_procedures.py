"""approval_procedures: 审批事项清单 / 联审联批 (a project's 审批手续, their 代办单位 and 承诺时限)

The county's 审批事项清单 is a report_settings row (key approval_kinds): no table.

Revision ID: 0026
Revises: 0024
Create Date: 2026-12-04
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "approval_procedures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("agent_unit_id", sa.Integer(), nullable=False),
        sa.Column("agent_user_id", sa.Integer(), nullable=True),
        sa.Column("agent_name", sa.String(length=60), nullable=True),
        sa.Column("promised_workdays", sa.Integer(), nullable=False),
        sa.Column("filed_on", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("finished_on", sa.Date(), nullable=True),
        sa.Column("status", sa.Enum("pending", "handling", "done", "not_applicable", name="procedure_status", native_enum=False,
                                    create_constraint=True, length=22), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), server_default="1", nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("promised_workdays > 0", name=op.f("ck_approval_procedures_promised_positive")),
        sa.CheckConstraint("finished_on IS NULL OR filed_on IS NOT NULL", name=op.f("ck_approval_procedures_finished_after_filed")),
        sa.CheckConstraint("status <> 'done' OR finished_on IS NOT NULL", name=op.f("ck_approval_procedures_done_has_date")),
        sa.ForeignKeyConstraint(["agent_unit_id"], ["units.id"], name=op.f("fk_approval_procedures_agent_unit_id_units"), ondelete="RESTRICT"),
        sa.ForeignKeyConstraint(["agent_user_id"], ["users.id"], name=op.f("fk_approval_procedures_agent_user_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], name=op.f("fk_approval_procedures_issue_id_issues"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["project_id"], ["projects.id"], name=op.f("fk_approval_procedures_project_id_projects"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_procedures")),
        sa.UniqueConstraint("project_id", "kind", name=op.f("uq_approval_procedures_project_id_kind")),
    )
    with op.batch_alter_table("approval_procedures", schema=None) as batch_op:
        for column in ("agent_unit_id", "agent_user_id", "filed_on", "deadline", "status", "issue_id", "project_id"):
            batch_op.create_index(batch_op.f(f"ix_approval_procedures_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("approval_procedures")
