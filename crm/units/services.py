"""The unit tree. Services validate and flush; the view commits."""

from __future__ import annotations

from dataclasses import dataclass
import sqlalchemy as sa
from flask_babel import gettext as _

from crm.access.policy import load_parent_map
from crm.domain.access import Actor, would_create_cycle
from crm.domain.units import UnitType
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.units.models import Unit
from crm.users.models import User
from crm.access.reach import subtree_units


class UnitError(FieldError):
    pass


@dataclass
class UnitData(FormData):
    name: str
    short_name: str | None
    type: str
    parent_id: int | None
    head_title: str | None
    sort_order: int | None
    is_active: bool


@dataclass(frozen=True)
class TreeRow:
    unit: Unit
    depth: int


def subtree_rows(actor: Actor) -> list[TreeRow]:
    """The actor's subtree in display order, each unit with its depth."""
    units = db.session.scalars(sa.select(Unit).where(subtree_units(actor).clause(Unit.id)).order_by(Unit.sort_order, Unit.id)).all()
    by_parent: dict[int | None, list[Unit]] = {}
    for unit in units:
        by_parent.setdefault(unit.parent_id, []).append(unit)
    rows: list[TreeRow] = []

    def walk(unit: Unit, depth: int) -> None:
        rows.append(TreeRow(unit, depth))
        for child in by_parent.get(unit.id, []):
            walk(child, depth + 1)

    root = next((u for u in units if u.id == actor.unit_id), None)
    if root is not None:
        walk(root, 0)
    return rows


def _check(actor: Actor, data: UnitData, unit: Unit | None) -> None:
    is_actor_root = unit is not None and unit.id == actor.unit_id
    if is_actor_root:
        # The admin's own unit is the top of what they manage; moving it would move it out of reach.
        if data.parent_id != unit.parent_id:
            raise UnitError("parent_id", _("不能调整本单位的上级单位"))
        if not data.is_active:
            raise UnitError("is_active", _("不能停用本单位"))
    elif data.parent_id is None or data.parent_id not in actor.subtree:
        raise UnitError("parent_id", _("请从列表中选择上级单位"))
    if unit is not None and would_create_cycle(unit.id, data.parent_id, load_parent_map()):
        raise UnitError("parent_id", _("上级单位不能是本单位或其下级单位"))
    same_parent = Unit.parent_id.is_(None) if data.parent_id is None else Unit.parent_id == data.parent_id
    siblings = sa.select(Unit.id).where(Unit.name == data.name, same_parent)
    if unit is not None:
        siblings = siblings.where(Unit.id != unit.id)
    if db.session.scalar(siblings) is not None:
        raise UnitError("name", _("同一上级单位下已有同名单位"))
    if unit is not None and unit.is_active and not data.is_active:
        _check_can_deactivate(unit)


def _check_can_deactivate(unit: Unit) -> None:
    active_children = db.session.scalar(
        sa.select(sa.func.count()).select_from(Unit).where(Unit.parent_id == unit.id, Unit.is_active)
    )
    if active_children:
        raise UnitError("is_active", _("该单位还有 %(n)d 个启用的下级单位，请先停用或调整它们", n=active_children))
    active_users = db.session.scalar(
        sa.select(sa.func.count()).select_from(User).where(User.unit_id == unit.id, User.is_active)
    )
    if active_users:
        raise UnitError("is_active", _("该单位还有 %(n)d 个启用的用户，请先停用或调走他们", n=active_users))


def _apply(unit: Unit, data: UnitData) -> None:
    unit.name = data.name
    unit.short_name = data.short_name
    unit.type = UnitType(data.type)
    unit.parent_id = data.parent_id
    unit.head_title = data.head_title
    unit.sort_order = data.sort_order or 0
    unit.is_active = data.is_active


def create_unit(actor: Actor, data: UnitData) -> Unit:
    _check(actor, data, None)
    unit = Unit()
    _apply(unit, data)
    db.session.add(unit)
    db.session.flush()
    return unit


def update_unit(actor: Actor, unit: Unit, data: UnitData) -> None:
    _check(actor, data, unit)
    _apply(unit, data)
    db.session.flush()


def create_root_unit(name: str, unit_type: UnitType) -> Unit:
    """A top unit (a county, a city) — only the command line makes these."""
    unit = Unit(name=name, type=unit_type, parent_id=None)
    db.session.add(unit)
    db.session.flush()
    return unit
