"""Counting and slicing a SELECT for list pages, in SQL."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, Sequence, TypeVar

import sqlalchemy as sa
from flask import request

from crm.extensions import db

T = TypeVar("T")
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def page_args() -> tuple[int, int]:
    """Page number and size from the query string, clamped to sane values."""
    page = request.args.get("page", type=int) or 1
    per_page = request.args.get("per_page", type=int) or DEFAULT_PER_PAGE
    return max(1, min(page, 100_000)), max(1, min(per_page, MAX_PER_PAGE))


def paginate(stmt: sa.Select[Any], page: int, per_page: int) -> Page[Any]:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=items, page=page, per_page=per_page, total=total)
