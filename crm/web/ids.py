"""Ids from a URL, a query string or a form, bounded to what the database can hold.

Every id column is a 32-bit integer on PostgreSQL (and SQLite refuses Python ints past 64 bits): an id of 10^20
typed into a URL or forged into a form reached the database and answered 500 (OverflowError, or PostgreSQL's
"integer out of range"). Out of range, an id is no id: the URL is not found, a filter is not applied, a choice
is not among those offered.
"""

from __future__ import annotations

from typing import Any

from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL's integer


def bounded_int(value: Any) -> int:
    """``int(value)`` within ±MAX_ID, else ValueError (as ``type=`` of ``request.args.get`` it gives the default)."""
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(f"{value!r} is out of range")
    return number


def optional_int(value: Any) -> int | None:
    """A list filter's number from the query string: None when blank, not a number or out of range."""
    if value in (None, ""):
        return None
    try:
        return bounded_int(value)
    except (TypeError, ValueError):
        return None


class IdConverter(IntegerConverter):
    """``<int:…>`` in the app's routes: up to MAX_ID, so a longer number is a 404, never a query."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)
