"""PostgreSQL: the doubled search text of a company stored as a generated column, indexed

A common word ("纺织") matches thousands of companies, and PostgreSQL must check each candidate again: with an
expression index that meant computing the doubled text once more per row (94 ms for 7,000 companies). Stored,
it is read. SQLite keeps its FTS5 table (migration 0010).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""
from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_companies_search_grams")
    op.execute("ALTER TABLE companies ADD COLUMN search_grams text GENERATED ALWAYS AS (crm_grams(search_text)) STORED")
    op.execute("CREATE INDEX ix_companies_search_grams ON companies USING gin (search_grams gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX ix_companies_search_grams")
    op.execute("ALTER TABLE companies DROP COLUMN search_grams")
    op.execute("CREATE INDEX ix_companies_search_grams ON companies USING gin (crm_grams(search_text) gin_trgm_ops)")
