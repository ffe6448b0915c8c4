"""三个一 (一个项目、一个县级领导分包、一套人马服务): changing who answers for a key project.

Services validate and flush; the view commits once. Entry and exit are history: leaving sets
``exited_on`` and ``exit_reason``, coming back adds a row. Who may call which function is decided
in ``crm.assignments.permissions`` by the view.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Callable, TypeVar

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from crm.assignments.models import ProjectLeader, TeamMember
from crm.domain.access import Role
from crm.domain.agreements import date_problem
from crm.domain.pipeline import Stage
from crm.domain.projects import leader_slots
from crm.errors import FieldError
from crm.extensions import db
from crm.projects.models import Project
from crm.units.models import Unit
from crm.units.queries import county_unit_ids
from crm.users.models import User
from crm.web.joins import enumeration

FORM = "form"  # a refusal about the whole form rather than one field
TEAM_ROLES = (Role.STAFF, Role.CHIEF, Role.REVIEWER)  # 服务专班 members are 招商 workers, not leaders or admins
Row = TypeVar("Row", ProjectLeader, TeamMember)


class AssignmentError(FieldError):
    pass


def slots_for(project: Project) -> int:
    """How many 分包县级领导 the project may have at once (crm.domain.projects.leader_slots with the settings)."""
    return leader_slots(
        project.total_investment,
        Decimal(str(current_app.config["CRM_LARGE_PROJECT_FROM"])),
        int(current_app.config["CRM_LARGE_PROJECT_LEADERS"]),
    )


# --- dates and reasons -------------------------------------------------------------------------
def _check_day(field: str, day: date | None, today: date) -> date:
    if day is None:
        raise AssignmentError(field, _("请填写日期"))
    if date_problem(day):
        raise AssignmentError(field, _("日期超出合理范围，请核对"))
    if day > today:
        raise AssignmentError(field, _("日期不能晚于今天"))
    return day


def _check_reason(field: str, reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise AssignmentError(field, _("请填写退出原因"))
    return reason


def _check_exit_day(field: str, day: date | None, entered_on: date, today: date) -> date:
    day = _check_day(field, day, today)
    if day < entered_on:
        raise AssignmentError(field, _("退出日期不能早于纳入日期（%(day)s）", day=entered_on.isoformat()))
    return day


def _record_exit(row: ProjectLeader | TeamMember, exited_on: date | None, reason: str | None, today: date) -> None:
    """The leader or member leaves on ``exited_on`` for ``reason`` (each checked next to its field)."""
    row.exit_reason = _check_reason("exit_reason", reason)
    row.exited_on = _check_exit_day("exited_on", exited_on, row.entered_on, today)
    db.session.flush()


def _require_key(project: Project, field: str = FORM) -> None:
    if not project.is_key:
        raise AssignmentError(field, _("该项目尚未纳入三个一，请先由县招商局办理纳入"))


def _check_unit(field: str, unit_id: int | None, project: Project) -> int | None:
    if unit_id is None:
        return None
    unit = db.session.get(Unit, unit_id)
    if unit is None or not unit.is_active or unit.id not in county_unit_ids(project.unit_id):
        raise AssignmentError(field, _("请从列表中选择"))
    return unit.id


def _assignable_user(
    field: str, user_id: int | None, project: Project, roles: tuple[Role, ...], *, missing: str, wrong_role: str, inactive: str
) -> User:
    """The chosen account: one the actor may see (a chief picks among their own unit), of the project's county,
    with one of ``roles``, active. Each refusal is said next to ``field``."""
    if user_id is None:
        raise AssignmentError(field, missing)
    user = db.session.get(User, user_id)
    if user is None or user.unit_id not in county_unit_ids(project.unit_id):
        raise AssignmentError(field, _("请从列表中选择"))
    if user.role not in roles:
        raise AssignmentError(field, wrong_role)
    if not user.is_active:
        raise AssignmentError(field, inactive)
    return user


def _active_rows(model: type[Row], project_id: int, *order_by: Any) -> list[Row]:
    """The project's rows of ``model`` (leaders or team members) that have not exited, in ``order_by``."""
    return list(
        db.session.scalars(
            sa.select(model).where(model.project_id == project_id, model.exited_on.is_(None)).order_by(*order_by)
        )
    )


def _save(field: str, message: str, change: Callable[[], None]) -> None:
    """Run ``change`` and flush it in a savepoint: when the database's unique index refuses (a concurrent
    change), nothing of it stays, the request goes on and the user reads ``message`` next to ``field``."""
    try:
        with db.session.begin_nested():
            change()
    except IntegrityError:
        raise AssignmentError(field, message) from None


# --- 纳入 / 退出 三个一, 牵头单位 ---------------------------------------------------------------
def enter_key(project: Project, lead_unit_id: int | None) -> None:
    """纳入三个一 (the 联席会议 or 常务会 decided it): the project becomes a 重点项目, optionally with its 牵头单位."""
    if project.is_key:
        raise AssignmentError(FORM, _("该项目已纳入三个一"))
    if project.stage is Stage.TERMINATED:
        raise AssignmentError(FORM, _("已中止的项目不能纳入三个一"))
    project.lead_unit_id = _check_unit("lead_unit_id", lead_unit_id, project)
    project.is_key = True
    db.session.flush()


def exit_key(project: Project, exited_on: date | None, reason: str | None, today: date) -> int:
    """退出三个一 (投产/达产, or removed at the half-yearly review of the 名录).

    The 分包 leaders and the 服务专班 leave with it, on that day and for that reason, so their
    history stays complete. Returns how many rows were closed.
    """
    _require_key(project)
    reason = _check_reason("reason", reason)
    day = _check_day("exited_on", exited_on, today)
    rows: list[ProjectLeader | TeamMember] = [*active_leaders(project.id), *active_members(project.id)]
    for row in rows:
        if day < row.entered_on:
            raise AssignmentError("exited_on", _("退出日期不能早于现有成员的纳入日期（%(day)s）", day=row.entered_on.isoformat()))
    for row in rows:
        row.exited_on = day
        row.exit_reason = _("退出三个一：%(reason)s", reason=reason)[:500]
    project.is_key = False
    db.session.flush()
    return len(rows)


def set_lead_unit(project: Project, lead_unit_id: int | None) -> None:
    """牵头单位 (its head acts as 服务员); empty clears it."""
    _require_key(project, "lead_unit_id")
    project.lead_unit_id = _check_unit("lead_unit_id", lead_unit_id, project)
    db.session.flush()


# --- 分包县级领导 ---------------------------------------------------------------------------------
def active_leaders(project_id: int) -> list[ProjectLeader]:
    return _active_rows(ProjectLeader, project_id, ProjectLeader.slot)


def add_leader(project: Project, leader_id: int | None, entered_on: date | None, today: date) -> ProjectLeader:
    """A 分包县级领导: an active account with the leader role, of the project's county, not listed twice.

    One per project (三个一); a project of at least CRM_LARGE_PROJECT_FROM 万元 may have up to
    CRM_LARGE_PROJECT_LEADERS. The leader takes the first free slot 1..slots, so two leaders racing
    for the one slot meet the database's unique index (project_id, slot) of active rows.
    """
    _require_key(project, "leader_id")
    leader = _assignable_user(
        "leader_id", leader_id, project, (Role.LEADER,),
        missing=_("请选择分包县级领导"), wrong_role=_("分包领导须为县级领导账号"), inactive=_("该账号已停用，不能分包项目"),
    )
    day = _check_day("entered_on", entered_on, today)
    current = active_leaders(project.id)
    if any(row.leader_id == leader.id for row in current):
        raise AssignmentError("leader_id", _("%(name)s 已是本项目的分包县级领导", name=leader.display_name))
    slots = slots_for(project)
    if len(current) >= slots:
        names = enumeration(row.leader.display_name for row in current)
        if slots == 1:
            message = _(
                "本项目已由 %(names)s 分包：一个项目只能明确一名分包县级领导。如需更换，请先办理原分包领导退出。",
                names=names,
            )
        else:
            message = _("本项目已有 %(n)d 名分包县级领导（%(names)s），已达上限。", n=slots, names=names)
        raise AssignmentError("leader_id", message)
    used = {row.slot for row in current}
    slot = next(s for s in range(1, slots + 1) if s not in used)
    row = ProjectLeader(project_id=project.id, leader_id=leader.id, slot=slot, entered_on=day)
    _save("leader_id", _("保存失败：本项目的分包县级领导刚被他人修改，请刷新页面后查看"), lambda: db.session.add(row))
    return row


def exit_leader(row: ProjectLeader, exited_on: date | None, reason: str | None, today: date) -> None:
    """The leader stops answering for the project; the row stays as history."""
    if row.exited_on is not None:
        raise AssignmentError(FORM, _("该领导已于 %(day)s 退出分包", day=row.exited_on.isoformat()))
    _record_exit(row, exited_on, reason, today)


# --- 服务专班 --------------------------------------------------------------------------------------
def active_members(project_id: int) -> list[TeamMember]:
    return _active_rows(TeamMember, project_id, TeamMember.is_chief_servant.desc(), TeamMember.id)


def _hand_over_chief(project_id: int, keep: TeamMember | None = None) -> None:
    """Whoever is 首席服务员 now stops being it (flushed first: the database allows one active chief)."""
    for member in active_members(project_id):
        if member.is_chief_servant and member is not keep:
            member.is_chief_servant = False
    db.session.flush()


def add_member(
    project: Project, user_id: int | None, duty: str | None, is_chief: bool, entered_on: date | None, today: date
) -> TeamMember:
    """A 服务专班 member, possibly of another unit (they then see and work on this project).

    The team always has exactly one 首席服务员 once it has anyone: the first member becomes it,
    and marking a new one hands the role over.
    """
    _require_key(project, "user_id")
    user = _assignable_user(
        "user_id", user_id, project, TEAM_ROLES,
        missing=_("请选择成员"), wrong_role=_("服务专班成员须为招商工作人员（招商专员、分局长或审核员）"), inactive=_("该账号已停用"),
    )
    day = _check_day("entered_on", entered_on, today)
    current = active_members(project.id)
    if any(member.user_id == user.id for member in current):
        raise AssignmentError("user_id", _("%(name)s 已是服务专班成员", name=user.display_name))
    chief_needed = not any(member.is_chief_servant for member in current)
    row = TeamMember(
        project_id=project.id, user_id=user.id, duty=duty, is_chief_servant=bool(is_chief or chief_needed), entered_on=day
    )

    def change() -> None:
        if is_chief and not chief_needed:
            _hand_over_chief(project.id)
        db.session.add(row)

    _save("user_id", _("保存失败：服务专班刚被他人修改，请刷新页面后查看"), change)
    return row


def update_member(row: TeamMember, duty: str | None, is_chief: bool) -> None:
    """职责, and who is 首席服务员 (handed over, never left empty)."""
    if row.exited_on is not None:
        raise AssignmentError(FORM, _("该成员已退出服务专班"))
    if is_chief and not row.is_chief_servant:
        _hand_over_chief(row.project_id, keep=row)
        row.is_chief_servant = True
    elif not is_chief and row.is_chief_servant:
        raise AssignmentError(
            "is_chief_servant", _("服务专班须有一名首席服务员：请在另一名成员处勾选“首席服务员”来更换")
        )
    row.duty = duty
    db.session.flush()


def exit_member(row: TeamMember, exited_on: date | None, reason: str | None, today: date) -> None:
    """A member leaves the team (and, from another unit, loses sight of the project); the row stays as history."""
    if row.exited_on is not None:
        raise AssignmentError(FORM, _("该成员已于 %(day)s 退出服务专班", day=row.exited_on.isoformat()))
    if row.is_chief_servant and any(m.id != row.id for m in active_members(row.project_id)):
        raise AssignmentError(FORM, _("首席服务员退出前，请先把另一名成员设为首席服务员"))
    _record_exit(row, exited_on, reason, today)


# --- 推进方案 --------------------------------------------------------------------------------------
def update_plan(project: Project, plan: str | None) -> None:
    """推进方案 with its 倒排工期 in words (the milestones themselves are their own records)."""
    project.plan = plan
    db.session.flush()
