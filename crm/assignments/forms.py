"""Forms of 三个一. Each has its own prefix, so several can sit on the project page at once."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField

from crm.web.fields import DayField
from crm.web.forms import ChoiceField, LookupField, SEARCHABLE, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field

PLAN_MAX = 8000


def _pick(pairs: list[tuple[int, str]], prompt: Any) -> list[Any]:
    return as_choices([("", prompt)] + pairs)


class EnterForm(VersionedForm):
    """纳入三个一 (the version is the project's)."""

    lead_unit_id = ChoiceField(_l("牵头单位"), coerce=coerce_int_or_none, render_kw=SEARCHABLE, description=_l("牵头单位负责人担任服务员；可稍后再定"))

    def set_units(self, pairs: list[tuple[int, str]]) -> None:
        self.lead_unit_id.choices = _pick(pairs, _l("—暂不确定—"))


class LeadUnitForm(EnterForm):
    """牵头单位 of a key project (empty clears it)."""


class ExitKeyForm(VersionedForm):
    """退出三个一: the leaders and the team leave with the project."""

    exited_on = DayField(_l("退出日期"), required=True)
    reason = text_field(_l("退出原因"), 400, required=True, description=_l("例如：已投产，经半年名录审查调出"))


class LeaderForm(FlaskForm):
    leader_id = ChoiceField(_l("分包县级领导"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    entered_on = DayField(_l("纳入日期"), required=True)

    def set_leaders(self, pairs: list[tuple[int, str]]) -> None:
        self.leader_id.choices = _pick(pairs, _l("—请选择—"))


class MemberForm(FlaskForm):
    user_id = LookupField(_l("服务专班成员"), description=_l("输入姓名、账号或单位查找"))
    duty = text_field(_l("职责"), 120, description=_l("例如：手续代办、要素保障"))
    is_chief_servant = BooleanField(_l("首席服务员"))
    entered_on = DayField(_l("加入日期"), required=True)

    def set_project(self, project: Any) -> None:
        from flask import url_for

        from crm.assignments.queries import member_names

        self.user_id.set_lookup(url_for("assignments.team_candidates", project_id=project.id),
                                lambda ids: member_names(project, ids), _l("—请输入姓名查找—"))


class MemberEditForm(VersionedForm):
    duty = text_field(_l("职责"), 120, description=_l("例如：手续代办、要素保障"))
    is_chief_servant = BooleanField(_l("首席服务员"))


class RowExitForm(VersionedForm):
    """A leader or a member leaves; the row stays as history."""

    exited_on = DayField(_l("退出日期"), required=True)
    exit_reason = text_field(_l("退出原因"), 500, required=True)


class PlanForm(VersionedForm):
    plan = notes_field(
        _l("推进方案"), PLAN_MAX, description=_l("目标、措施、责任分工和倒排工期；节点日期请在“工期节点”中登记")
    )


# --- the forms as the project page shows them (nothing typed yet) -------------------------------
def enter_form(project: Any, units: list[tuple[int, str]]) -> EnterForm:
    form = EnterForm(formdata=None, prefix="enter", record=project)
    form.set_units(units)
    return form


def leader_form(leaders: list[tuple[int, str]], today: date) -> LeaderForm:
    form = LeaderForm(formdata=None, prefix="leader")
    form.set_leaders(leaders)
    form.entered_on.data = today
    return form


def member_form(project: Any, today: date) -> MemberForm:
    form = MemberForm(formdata=None, prefix="member")
    form.set_project(project)
    form.entered_on.data = today
    return form
