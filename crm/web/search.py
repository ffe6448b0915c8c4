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


def parse_enum(enum_cls: type[E], raw: str | None) -> E | None:
    """The member whose code was given in a query string, or None for anything else (a filter then does nothing)."""
    try:
        return enum_cls(raw) if raw else None
    except ValueError:
        return None


def where_equals(stmt: sa.Select[Any], column: Any, value: Any) -> sa.Select[Any]:
    """Add ``column == value`` when the filter was given (and valid)."""
    return stmt if value is None else stmt.where(column == value)
