"""Counting and slicing a SELECT for list pages, in SQL.

The count stops at ``COUNT_CAP``: beyond it a page says "10,000+" instead of counting a city's rows one by one
on every page view (a second full scan, for a number nobody reads to the last digit).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Generic, Sequence, TypeVar

import sqlalchemy as sa
from flask import request

from crm.extensions import db
from crm.web.ids import bounded_int

T = TypeVar("T")
DEFAULT_PER_PAGE = 25
MAX_PER_PAGE = 200
COUNT_CAP = 10_000


@dataclass
class Page(Generic[T]):
    items: Sequence[T]
    page: int
    per_page: int
    total: int
    exact: bool = True  # False: there are more than ``total`` rows (the count stopped at its cap)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        if not self.exact:
            return len(self.items) == self.per_page
        return self.page < self.pages


def page_args(default: int = DEFAULT_PER_PAGE) -> tuple[int, int]:
    """Page number and size from the query string, clamped to sane values."""
    page = request.args.get("page", type=bounded_int) or 1
    per_page = request.args.get("per_page", type=bounded_int) or default
    return max(1, min(page, 100_000)), max(1, min(per_page, MAX_PER_PAGE))


def bounded_count(stmt: sa.Select[Any], cap: int = COUNT_CAP) -> tuple[int, bool]:
    """The number of rows of ``stmt``, counting no further than ``cap``: (count, exact)."""
    counted = stmt.order_by(None).limit(cap + 1).subquery()
    total = db.session.scalar(sa.select(sa.func.count()).select_from(counted)) or 0
    return min(total, cap), total <= cap


def paginate(stmt: sa.Select[Any], page: int, per_page: int, counted: int | None = None) -> Page[Any]:
    """A page of ``stmt``'s rows; ``counted``: their number, when the caller already knows it (a cached figure)."""
    total, exact = bounded_count(stmt) if counted is None else (counted, True)
    items = db.session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique().all()
    return Page(items=items, page=page, per_page=per_page, total=total, exact=exact)
