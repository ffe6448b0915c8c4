"""Request-side access helpers built on the pure rules of ``crm.domain.access``."""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from flask import abort, g
from flask_babel import gettext as _
from flask_login import current_user

from crm.access.reach import unit_subtree
from crm.domain.access import Action, Actor, Gate, Resource, Role, Target, can, passes, path_ids, subtree_of
from crm.domain.units import UnitType, chain_of, nearest_county
from crm.db import table
from crm.errors import FieldError
from crm.extensions import db

M = TypeVar("M")
F = TypeVar("F", bound=Callable[..., Any])


def load_parent_map() -> dict[int, int | None]:
    from crm.units.models import Unit

    rows = db.session.execute(sa.select(Unit.id, Unit.parent_id))
    return {unit_id: parent_id for unit_id, parent_id in rows}


def _tables() -> tuple[sa.Table, sa.Table]:
    # Core tables, not the mapped classes: the actor is what the scope is built from, so reading it must not
    # go through the scope (there is none yet when a request begins).
    return table("units"), table("project_team_members")


def _path_is_own(path: str | None, unit_id: int) -> bool:
    return bool(path) and path.endswith(f"/{unit_id}/")  # type: ignore[union-attr]


def build_actor(user: Any) -> Actor:
    """The policy's view of a user: role, unit, the unit's subtree (by its path), its county and the projects
    whose 服务专班 the user is on. Two small indexed reads, whatever the size of the tree."""
    units, _team = _tables()
    path = user.unit.path  # the account is loaded with its unit
    everything, county = False, None
    if _path_is_own(path, user.unit_id):
        chain = path_ids(path)
        all_units = sa.select(sa.func.count()).select_from(units).scalar_subquery()
        rows = db.session.execute(
            sa.select(units.c.id, units.c.type, all_units).where(sa.or_(units.c.path.like(f"{path}%"), units.c.id.in_(chain)))
        ).all()
        subtree = frozenset(row.id for row in rows if row.id not in chain or row.id == user.unit_id)
        everything = bool(rows) and len(subtree) == rows[0][2]
        county = nearest_county(chain, {row.id: UnitType(row.type) for row in rows if row.id in chain})
    else:  # a unit whose path is not written yet: its own unit only, never more
        path, subtree = "", frozenset({user.unit_id})
    return Actor(
        user_id=user.id,
        role=Role(user.role),
        unit_id=user.unit_id,
        subtree=subtree | {user.unit_id},
        unit_path=path or "",
        team_projects=team_projects_of([user.id]).get(user.id, frozenset()),
        subtree_is_everything=everything,
        county_id=county,
    )


# County roles that may bring a unit of their subtree its records from its 台账 (an import chosen up front, issue 13).
IMPORTS_FOR_UNITS = (Role.ADMIN, Role.REVIEWER)


def may_import_for(actor: Actor, unit_id: int) -> bool:
    return actor.role in IMPORTS_FOR_UNITS and unit_id in actor.subtree and unit_id != actor.unit_id


def delegated_actor(actor: Actor, unit: Any) -> Actor:
    """The county role ``actor`` writing a unit's records as that unit's chief would, for an import into ``unit`` of
    their subtree: the records are the unit's, created under the actor's own user (the audit log and 录入人 name
    them). Refused (ValueError) for anyone else: nobody else writes into a unit but its own people."""
    if not may_import_for(actor, unit.id):
        raise ValueError("only a county role imports into a unit of its subtree")
    subtree = unit_subtree(unit.id, unit.path)
    return Actor(user_id=actor.user_id, role=Role.CHIEF, unit_id=unit.id, subtree=subtree.ids, unit_path=subtree.path,
                 county_id=actor.county_id)


def team_projects_of(user_ids: list[int]) -> dict[int, frozenset[int]]:
    """The projects whose 服务专班 each user is on now, in one query."""
    _units, team = _tables()
    found: dict[int, set[int]] = {}
    rows = db.session.execute(
        sa.select(team.c.user_id, team.c.project_id).where(team.c.user_id.in_(user_ids), team.c.exited_on.is_(None))
    )
    for user_id, project_id in rows:
        found.setdefault(user_id, set()).add(project_id)
    return {user_id: frozenset(projects) for user_id, projects in found.items()}


class ActorBuilder:
    """Actors for many users at once (the digest, the daily alerts): the unit tree and the team memberships
    are read once for the whole run instead of once per user."""

    def __init__(self, user_ids: list[int] | None = None) -> None:
        units, _team = _tables()
        rows = db.session.execute(sa.select(units.c.id, units.c.parent_id, units.c.path, units.c.type)).all()
        self.parents = {row.id: row.parent_id for row in rows}
        self.paths = {row.id: row.path for row in rows}
        self.types = {row.id: UnitType(row.type) for row in rows}
        self._teams = team_projects_of(user_ids) if user_ids is not None else None

    def __call__(self, user: Any) -> Actor:
        path = self.paths.get(user.unit_id) or ""
        if not _path_is_own(path, user.unit_id):
            path = ""
        teams = self._teams if self._teams is not None else team_projects_of([user.id])
        subtree = subtree_of(user.unit_id, self.parents)
        return Actor(
            user_id=user.id,
            role=Role(user.role),
            unit_id=user.unit_id,
            subtree=subtree,
            unit_path=path,
            team_projects=teams.get(user.id, frozenset()),
            subtree_is_everything=bool(path) and len(subtree) == len(self.parents),
            county_id=nearest_county(chain_of(user.unit_id, self.parents), self.types),
        )


def current_actor() -> Actor | None:
    return g.get("actor")


def own_unit_record() -> Target:
    """A new record of the signed-in user's own unit (what "新建" asks the policy about)."""
    return Target(Resource.UNIT_RECORD, unit_id=current_actor().unit_id)


def allowed(action: Action, target: Target) -> bool:
    return can(current_actor(), action, target)


def require(action: Action, target: Target) -> None:
    """403 when the signed-in user may not take ``action`` on ``target``."""
    if not allowed(action, target):
        abort(403)


def check_in_service(actor: Actor, action: Action, target: Target, error: type[FieldError]) -> None:
    """A service's own check of the rule, refused as ``error`` about the whole form: the view checks first, this
    keeps the rule when the service is called from elsewhere (the command line, an import, a test)."""
    if not can(actor, action, target):
        raise error("form", _("您没有权限进行此操作"))


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


def gate_required(gate: Gate) -> Callable[[F], F]:
    """Coarse gate for whole pages (e.g. the admin area); objects are still checked one by one. The view keeps
    its gate (``view.gate``), so the navigation offers the page to exactly the roles that may open it."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                from crm.extensions import login_manager

                return login_manager.unauthorized()
            if not passes(current_actor(), gate):
                abort(403)
            return view(*args, **kwargs)

        wrapped.gate = gate  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator
