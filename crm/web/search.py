"""Searching text in SQL: plain substring matches, and the indexed ones for names (migration 0010)."""

from __future__ import annotations

from enum import Enum
from typing import Any, TypeVar

import sqlalchemy as sa

E = TypeVar("E", bound=Enum)
ESCAPE = "\\"


def contains(column: sa.ColumnElement[str], text: str) -> sa.ColumnElement[bool]:
    """Case-insensitive substring match where % and _ typed by the user mean themselves."""
    escaped = text.strip().replace(ESCAPE, ESCAPE * 2).replace("%", ESCAPE + "%").replace("_", ESCAPE + "_")
    return column.ilike(f"%{escaped}%", escape=ESCAPE)


def grams(text: str) -> str:
    """Every character twice, as the search indexes hold text: a two-character query ("海威") becomes four
    ("海海威威"), enough for a trigram index to answer (migration 0010)."""
    return "".join(ch * 2 for ch in text)


MIN_INDEXED = 2  # shorter queries have no trigram even doubled: they scan


def _dialect() -> str:
    from crm.extensions import db

    return db.session.get_bind().dialect.name


def _grams_pattern(text: str) -> str:
    return f"%{grams(text)}%"


def _indexable(needle: str) -> bool:
    # A % or _ typed by the user would be a wildcard in the index's pattern, and FTS5 answers a pattern with
    # short runs between wildcards with nothing at all: such rare queries scan, and match them as themselves.
    return len(needle) >= MIN_INDEXED and "%" not in needle and "_" not in needle


def company_text_contains(q: str) -> sa.ColumnElement[bool]:
    """A company any of whose names, their pinyin or initials contains ``q``: through the trigram index on
    PostgreSQL or the FTS5 table on SQLite, then checked exactly."""
    from crm.companies.models import Company

    needle = q.strip().lower()
    exact = contains(Company.search_text, needle)
    if not _indexable(needle):
        return exact
    dialect = _dialect()
    if dialect == "postgresql":  # companies.search_grams: crm_grams(search_text), stored (migration 0012)
        stored = sa.literal_column(f"{Company.__tablename__}.search_grams", sa.Text)
        return sa.and_(stored.like(_grams_pattern(needle)), exact)
    if dialect == "sqlite":
        fts = sa.table("company_search", sa.column("rowid"), sa.column("grams"))
        return sa.and_(Company.id.in_(sa.select(fts.c.rowid).where(fts.c.grams.like(_grams_pattern(needle)))), exact)
    return exact


def companies_matching(q: str) -> sa.Select[Any]:
    """The ids of the companies ``company_text_contains`` finds (merged ones included: their records still
    name them)."""
    from crm.companies.models import Company

    return sa.select(Company.id).where(company_text_contains(q))


def name_contains(column: Any, q: str) -> sa.ColumnElement[bool]:
    """A lead's or a project's name containing ``q``: through the trigram index on PostgreSQL (migration 0010
    indexes ``crm_grams(lower(name))``); SQLite scans, within the user's scope."""
    exact = contains(column, q)
    needle = q.strip().lower()
    if not _indexable(needle) or _dialect() != "postgresql":
        return exact
    return sa.and_(sa.func.crm_grams(sa.func.lower(column)).like(_grams_pattern(needle)), exact)


def named_or_of_company(id_column: Any, name_column: Any, company_column: Any, q: str) -> sa.ColumnElement[bool]:
    """A record (lead, project) whose name contains ``q`` or whose company's names do: the two as a UNION of ids,
    so that each is answered by its own index (an OR of the two made PostgreSQL walk every row)."""
    ids = sa.union(
        sa.select(id_column).where(name_contains(name_column, q)),
        sa.select(id_column).where(company_column.in_(companies_matching(q))),
    ).subquery()
    return id_column.in_(sa.select(ids.c[0]))


def parse_enum(enum_cls: type[E], raw: str | None) -> E | None:
    """The member whose code was given in a query string, or None for anything else (a filter then does nothing)."""
    try:
        return enum_cls(raw) if raw else None
    except ValueError:
        return None


def where_equals(stmt: sa.Select[Any], column: Any, value: Any) -> sa.Select[Any]:
    """Add ``column == value`` when the filter was given (and valid)."""
    return stmt if value is None else stmt.where(column == value)
