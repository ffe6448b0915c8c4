"""Query scoping that fails closed (DESIGN §1).

Every ``Session`` carries a scope in ``session.info["scope"]``: an ``Actor``
(a signed-in user) or ``SYSTEM`` (jobs, CLI commands, demo loader). A
``do_orm_execute`` hook adds the actor's criteria to every SELECT for every
``ScopedModel``. With no scope at all, scoped models match nothing.

A query may opt out only by name, with ``.execution_options(**UNSCOPED)``;
that is kept for the few places that must read before an actor exists
(loading the signed-in account) or after a record-level check has passed.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, ClassVar, Iterator

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from crm.domain.access import Actor


class _System:
    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()
Scope = Actor | _System
SCOPE_KEY = "scope"
OPTIONS_KEY = "scope_options"  # (scope, loader-criteria options) built once per scope, reused by every statement
UNSCOPED = {"crm_unscoped": True}


class ScopedModel:
    """A model whose rows are visible only within an actor's scope."""

    __scoped_models__: ClassVar[list[type["ScopedModel"]]] = []

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "__tablename__" in cls.__dict__:
            ScopedModel.__scoped_models__.append(cls)

    @classmethod
    def scope_criteria(cls, actor: Actor) -> sa.ColumnElement[bool]:
        """Rows this actor may read. Subclasses must override."""
        raise NotImplementedError(f"{cls.__name__} must define scope_criteria")


def set_scope(session: Session, scope: Scope | None) -> None:
    if scope is None:
        session.info.pop(SCOPE_KEY, None)
    else:
        session.info[SCOPE_KEY] = scope


def get_scope(session: Session) -> Scope | None:
    return session.info.get(SCOPE_KEY)


@contextmanager
def scoped_as(session: Session, scope: Scope) -> Iterator[None]:
    """Run a block under a given scope, restoring the previous one after."""
    previous = get_scope(session)
    set_scope(session, scope)
    try:
        yield
    finally:
        set_scope(session, previous)


def _criteria_for(model: type[ScopedModel], scope: Scope | None) -> sa.ColumnElement[bool]:
    if isinstance(scope, Actor):
        return model.scope_criteria(scope)
    return sa.false()  # no scope: nothing is visible


def _options_for(session: Session, scope: Scope | None) -> list[Any]:
    """The loader criteria of every scoped model for this scope.

    Building them costs more than running a small query, and a page runs dozens: they are
    kept on the session for as long as the scope object stays the same (``set_scope`` with a
    new actor, or none, builds them afresh).
    """
    cached = session.info.get(OPTIONS_KEY)
    if cached is not None and cached[0] is scope:
        return cached[1]
    options = [
        with_loader_criteria(model, _criteria_for(model, scope), include_aliases=True)
        for model in ScopedModel.__scoped_models__
    ]
    session.info[OPTIONS_KEY] = (scope, options)
    return options


def reach_of(scope: Scope | None, models: tuple[type[ScopedModel], ...]) -> tuple[str, ...]:
    """The scope's criteria on ``models``, as SQL text with the values inlined.

    Two scopes with the same reach read exactly the same rows of those models, so work done for one
    serves the other (the weekly digests read many recipients' rows in one query per reach).
    """
    if scope is SYSTEM:
        return ("SYSTEM",)
    return tuple(str(_criteria_for(model, scope).compile(compile_kwargs={"literal_binds": True})) for model in models)


def _apply_scope(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load:
        return
    if state.execution_options.get("crm_unscoped"):
        return
    scope = get_scope(state.session)
    if scope is SYSTEM:
        return
    state.statement = state.statement.options(*_options_for(state.session, scope))


def install(session_factory: Any) -> None:
    """Attach the scoping hook to a sessionmaker (once)."""
    if not event.contains(session_factory, "do_orm_execute", _apply_scope):
        event.listen(session_factory, "do_orm_execute", _apply_scope)
