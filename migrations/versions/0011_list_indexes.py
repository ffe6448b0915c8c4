"""an index for every sort and filter of the main lists

A page of a city's projects, leads or companies in the list's order is then read from an index instead of
sorting every row the user may see (tests/test_list_indexes.py keeps the list of them).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

INDEXES = {
    "projects": ["updated_at", "total_investment", "contracted_amount", "name", "stage_since", "industry_category", "funding_source"],
    "leads": ["received_on", "updated_at", "amount_high", "grade", "source"],
    "companies": ["updated_at", "created_at", "registered_capital", "ownership", "funding_source", "industry_category"],
    "company_tags": ["tag"],
    "visits": ["type", "outcome"],
    "agreements": ["updated_at", "investment_amount", "attracted_amount"],
    "issues": ["updated_at", "level"],
}


def upgrade() -> None:
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.create_index(f"ix_{table}_{column}", [column], unique=False)


def downgrade() -> None:
    for table, columns in INDEXES.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column in columns:
                batch_op.drop_index(f"ix_{table}_{column}")
