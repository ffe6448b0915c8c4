"""search that scales: trigram indexes on PostgreSQL (pg_trgm), an FTS5 trigram table on SQLite

Names are searched as substrings ("海威" in "东莞海威纺织有限公司 dongguanhaiweifangzhi dghwfz"). A trigram index
answers substring queries of three characters or more; a company is usually searched by its two-character 字号.
So the index holds every character twice ("海海威威…"), and a two-character query becomes a four-character one
("海海威威") that the index can answer. ``crm.web.search`` builds the queries; the exact match is checked again
on the candidates.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# The same rule as crm.web.search.grams, in SQL (PostgreSQL) and in Python (SQLite registers it per connection).
PG_GRAMS = r"""
CREATE FUNCTION crm_grams(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT regexp_replace($1, '(.)', '\1\1', 'g') $$
"""
PG_INDEXES = {
    "ix_companies_search_grams": "companies USING gin (crm_grams(search_text) gin_trgm_ops)",
    "ix_leads_name_grams": "leads USING gin (crm_grams(lower(name)) gin_trgm_ops)",
    "ix_projects_name_grams": "projects USING gin (crm_grams(lower(name)) gin_trgm_ops)",
}
SQLITE_TRIGGERS = {
    "companies_search_insert": "AFTER INSERT ON companies BEGIN "
    "INSERT INTO company_search(rowid, grams) VALUES (new.id, crm_grams(new.search_text)); END",
    "companies_search_update": "AFTER UPDATE OF search_text ON companies BEGIN "
    "DELETE FROM company_search WHERE rowid = old.id; "
    "INSERT INTO company_search(rowid, grams) VALUES (new.id, crm_grams(new.search_text)); END",
    "companies_search_delete": "AFTER DELETE ON companies BEGIN DELETE FROM company_search WHERE rowid = old.id; END",
}


def _grams(text: str | None) -> str | None:
    return None if text is None else "".join(ch * 2 for ch in text)


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(PG_GRAMS)
        for name, target in PG_INDEXES.items():
            op.execute(f"CREATE INDEX {name} ON {target}")
        return
    # SQLite: the triggers call crm_grams, which the app registers on every connection (crm.db.prepare_sqlite);
    # this connection may be a plain one, so register it here too.
    connection.connection.driver_connection.create_function("crm_grams", 1, _grams, deterministic=True)
    op.execute("CREATE VIRTUAL TABLE company_search USING fts5(grams, tokenize='trigram')")
    op.execute("INSERT INTO company_search(rowid, grams) SELECT id, crm_grams(search_text) FROM companies")
    for name, body in SQLITE_TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name in PG_INDEXES:
            op.execute(f"DROP INDEX {name}")
        op.execute("DROP FUNCTION crm_grams(text)")
        return
    for name in SQLITE_TRIGGERS:
        op.execute(f"DROP TRIGGER {name}")
    op.execute("DROP TABLE company_search")
