"""Reading the audit log's text back into column values, for a revert (``crm.audit.services.to_text`` wrote it)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from crm.db import Base


def model_of(table_name: str) -> Any:
    for mapper in Base.registry.mappers:
        if getattr(mapper.class_, "__tablename__", None) == table_name:
            return mapper.class_
    raise KeyError(table_name)


def value_from_text(column: sa.Column[Any], text: str | None) -> Any:
    if text is None:
        return None
    kind = column.type
    if isinstance(kind, sa.Enum) and kind.enum_class is not None:
        return kind.enum_class(text)
    if isinstance(kind, sa.Boolean):
        return text == "true"
    if isinstance(kind, sa.Numeric) and not isinstance(kind, sa.Float):
        return Decimal(text)
    if isinstance(kind, sa.Integer):
        return int(text)
    if isinstance(kind, sa.DateTime) or (hasattr(kind, "impl") and isinstance(kind.impl, sa.DateTime)):
        return datetime.fromisoformat(text)
    if isinstance(kind, sa.Date):
        return date.fromisoformat(text)
    return text
