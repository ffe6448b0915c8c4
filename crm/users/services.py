"""Account management. Services validate and flush; the view commits once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.access.scoping import UNSCOPED
from crm.auth.passwords import hash_password, password_problem
from crm.auth.services import end_all_sessions, normalise_username, set_password
from crm.domain.access import Actor, Role
from crm.domain.units import LeaderTitle
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.users.models import User
from crm.web.search import contains
from crm.access.reach import subtree_units


class AccountError(FieldError):
    pass


@dataclass
class AccountData(FormData):
    display_name: str
    role: str
    unit_id: int | None
    title: str | None
    title_note: str | None
    email: str | None
    phone: str | None
    is_active: bool


def username_taken(username: str) -> bool:
    # Unscoped on purpose: a name taken in another county is taken here too.
    stmt = sa.select(User.id).where(User.username == normalise_username(username)).execution_options(**UNSCOPED)
    return db.session.scalar(stmt) is not None


def _check(actor: Actor, data: AccountData, user: User | None) -> None:
    if data.unit_id is None or data.unit_id not in actor.subtree:
        raise AccountError("unit_id", _("请从列表中选择单位"))
    role = Role(data.role)
    if role is Role.LEADER and not data.title:
        raise AccountError("title", _("县级领导必须选择职务"))
    if role is not Role.LEADER and data.title:
        raise AccountError("title", _("只有县级领导才有职务"))
    if user is not None and user.id == actor.user_id:
        # An admin who demotes, moves or deactivates themselves locks themselves out.
        if role is not Role.ADMIN:
            raise AccountError("role", _("不能修改自己的管理员角色"))
        if not data.is_active:
            raise AccountError("is_active", _("不能停用自己的账号"))
        if data.unit_id != user.unit_id:
            raise AccountError("unit_id", _("不能把自己调到其他单位"))


def _apply(user: User, data: AccountData) -> None:
    user.display_name = data.display_name
    user.role = Role(data.role)
    user.unit_id = data.unit_id  # type: ignore[assignment]
    user.title = LeaderTitle(data.title) if data.title else None
    user.title_note = data.title_note if user.title else None
    user.email = data.email
    user.phone = data.phone
    user.is_active = data.is_active


def create_account(actor: Actor, username: str, password: str, data: AccountData) -> User:
    if username_taken(username):
        raise AccountError("username", _("该用户名已被使用"))
    if problem := password_problem(password):
        raise AccountError("password", problem)
    _check(actor, data, None)
    user = User(username=normalise_username(username), password_hash=hash_password(password))
    _apply(user, data)
    db.session.add(user)
    db.session.flush()
    return user


def update_account(actor: Actor, user: User, data: AccountData) -> None:
    _check(actor, data, user)
    was_active, old_role, old_unit = user.is_active, user.role, user.unit_id
    _apply(user, data)
    if (was_active and not user.is_active) or old_role != user.role or old_unit != user.unit_id:
        # Deactivation, a new role or a new unit changes what the person may see: end their sessions.
        end_all_sessions(user)
    db.session.flush()


def set_active(actor: Actor, user: User, active: bool) -> None:
    if user.id == actor.user_id and not active:
        raise AccountError("is_active", _("不能停用自己的账号"))
    if user.is_active and not active:
        end_all_sessions(user)
    user.is_active = active
    db.session.flush()


def reset_password(user: User, new_password: str) -> None:
    if problem := password_problem(new_password):
        raise AccountError("new_password", problem)
    set_password(user, new_password)
    db.session.flush()


def account_query(actor: Actor, q: str | None, role: str | None, unit_id: int | None, active: str | None) -> sa.Select[Any]:
    """The admin's account list: accounts of their subtree, filtered."""
    stmt = sa.select(User).where(subtree_units(actor).clause(User.unit_id))
    if q:
        stmt = stmt.where(sa.or_(contains(User.username, q), contains(User.display_name, q)))
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if unit_id:
        stmt = stmt.where(User.unit_id == unit_id)
    if active == "1":
        stmt = stmt.where(User.is_active)
    elif active == "0":
        stmt = stmt.where(sa.not_(User.is_active))
    return stmt.order_by(User.unit_id, User.username)
