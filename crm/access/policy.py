"""Request-side access helpers built on the pure rules of ``crm.domain.access``."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from flask import abort, g
from flask_login import current_user

from crm.domain.access import Action, Actor, Role, Target, can, subtree_of
from crm.extensions import db

M = TypeVar("M")
F = TypeVar("F", bound=Callable[..., Any])


def load_parent_map() -> dict[int, int | None]:
    from crm.units.models import Unit

    rows = db.session.execute(sa.select(Unit.id, Unit.parent_id))
    return {unit_id: parent_id for unit_id, parent_id in rows}


def build_actor(user: Any) -> Actor:
    """The policy's view of a user: role, unit and the unit's subtree."""
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        unit_id=user.unit_id,
        subtree=subtree_of(user.unit_id, load_parent_map()),
    )


def current_actor() -> Actor | None:
    return g.get("actor")


def allowed(action: Action, target: Target) -> bool:
    return can(current_actor(), action, target)


def require(action: Action, target: Target) -> None:
    """403 when the signed-in user may not take ``action`` on ``target``."""
    if not allowed(action, target):
        abort(403)


def get_or_404(model: type[M], ident: Any, action: Action = Action.VIEW, *, hide_denied: bool = False) -> M:
    """Load one object the actor may see, or answer 404; 403 when seen but not allowed.

    ``hide_denied`` answers 404 instead of 403, for pages (the admin area) where
    even confirming that a record exists elsewhere in the tree says too much.

    The load itself runs under the session's scope, so an object outside it is
    simply not found. The policy is checked again on the object, so that an
    object already sitting in the identity map cannot slip past the scope.
    """
    try:
        key = int(ident)
    except (TypeError, ValueError):
        abort(404)
    obj = db.session.get(model, key)
    if obj is None:
        abort(404)
    target = obj.access_target()  # type: ignore[attr-defined]
    if not allowed(Action.VIEW, target):
        abort(404)
    if action is not Action.VIEW and not allowed(action, target):
        abort(404 if hide_denied else 403)
    return obj


def roles_required(*roles: Role) -> Callable[[F], F]:
    """Coarse gate for whole pages (e.g. the admin area); objects are still checked one by one."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from crm.extensions import login_manager

                return login_manager.unauthorized()
            actor = current_actor()
            if actor is None or actor.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator
