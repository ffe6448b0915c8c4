"""Figures computed once per change of the data, not once per page view.

A city's dashboard sums tens of thousands of projects and stage events in a dozen grouped queries: live, that
took a second for a city's leader. Every figure is a function of its arguments (the scope's units, the rules,
the month) and of the data, so a worker keeps its result in memory under the data's *generation*: a token that
every transaction changing a business record rewrites, in that same transaction (``_after_flush``), so a
figure is never read from before a change that the reader could see. Results are plain values (numbers and
labels, never ORM objects) and are copied on the way out, so no caller can change what the next one reads.

Writes that bypass the ORM (bulk loaders) call ``bump``; entries also expire after ``MAX_AGE`` seconds.
"""

from __future__ import annotations

import copy
import threading
import time
import uuid
from collections import OrderedDict
from functools import wraps
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from crm.audit.mixins import Audited

F = TypeVar("F", bound=Callable[..., Any])
TOKEN_KEY = "figure_generation"
BUMPED_KEY = "figure_generation_bumped"  # this transaction has written a new generation
MAX_ENTRIES = 512
MAX_AGE = 600.0


def _table() -> sa.Table:
    from crm.reports.models import FigureGeneration

    return FigureGeneration.__table__  # type: ignore[return-value]


def bump(connection: sa.Connection | Session) -> str:
    """A new generation, written in the caller's transaction."""
    token = uuid.uuid4().hex
    connection.execute(_table().update().where(_table().c.id == 1).values(token=token))
    return token


def generation(session: Session) -> str | None:
    """The generation this session reads (once per transaction; a change made in it is seen at once)."""
    token = session.info.get(TOKEN_KEY)
    if token is None:
        token = session.execute(sa.select(_table().c.token).where(_table().c.id == 1)).scalar()
        session.info[TOKEN_KEY] = token
    return token


def _after_flush(session: Session, flush_context: Any) -> None:
    # Once per transaction, not once per flush: on PostgreSQL each UPDATE of a row the transaction has already
    # updated walks every earlier version of it, so a 20,000-row import (five flushes a row) slowed to a crawl.
    # The writing session then computes its figures live (``cached_figure``): its later changes keep the token.
    if session.info.get(BUMPED_KEY):
        return
    if any(isinstance(obj, Audited) for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[TOKEN_KEY] = bump(session.connection())
        session.info[BUMPED_KEY] = True


def _forget(session: Session, *_args: Any) -> None:
    # The next transaction reads the generation again; after a savepoint's rollback (which may have undone the
    # bump) the next change bumps again.
    session.info.pop(TOKEN_KEY, None)
    session.info.pop(BUMPED_KEY, None)


def install(session_factory: Any) -> None:
    for name, listener in (("after_flush", _after_flush), ("after_commit", _forget), ("after_rollback", _forget),
                           ("after_soft_rollback", _forget)):
        if not event.contains(session_factory, name, listener):
            event.listen(session_factory, name, listener)


class _Store:
    """A small thread-safe LRU with an age limit (gunicorn's threads share a worker's memory)."""

    def __init__(self) -> None:
        self.entries: OrderedDict[Any, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Any) -> tuple[bool, Any]:
        with self.lock:
            found = self.entries.get(key)
            if found is None or time.monotonic() - found[0] > MAX_AGE:
                return False, None
            self.entries.move_to_end(key)
            return True, found[1]

    def put(self, key: Any, value: Any) -> None:
        with self.lock:
            self.entries[key] = (time.monotonic(), value)
            self.entries.move_to_end(key)
            while len(self.entries) > MAX_ENTRIES:
                self.entries.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.entries.clear()


STORE = _Store()


def _frozen(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    return value


def _reader(session: Session) -> Any:
    """What the session's scope lets a figure see, beyond its own arguments: the units and the 服务专班 projects
    (two colleagues share their figures; a team member of another unit's project does not share with them)."""
    from crm.access.reach import visible_units
    from crm.access.scoping import get_scope
    from crm.domain.access import Actor

    scope = get_scope(session)
    if isinstance(scope, Actor):
        return visible_units(scope), scope.team_projects
    return repr(scope)  # SYSTEM, or none


def cached_figure(function: F) -> F:
    """Keep ``function``'s result per generation and arguments (which must be hashable values: scopes, rules,
    windows, stages). Outside an app context or without a generation, it simply computes."""

    @wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from crm.extensions import db

        token = generation(db.session)
        if token is None or db.session.info.get(BUMPED_KEY):
            return function(*args, **kwargs)
        key = (function.__module__, function.__qualname__, token, _reader(db.session), _frozen(args), _frozen(kwargs))
        hit, value = STORE.get(key)
        if not hit:
            value = function(*args, **kwargs)
            STORE.put(key, value)
        return copy.deepcopy(value)

    return wrapper  # type: ignore[return-value]
