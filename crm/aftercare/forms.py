"""安商 forms: a 诉求 (and its moves), a 挂牌保护 row, the county's 宁静日."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import DataRequired, ValidationError

from crm.companies.picker import COMPANY_PICKER
from crm.domain.aftercare import MAX_WORKDAYS, QuietDaysError, RequestKind, Satisfaction, parse_month_days
from crm.domain.issues import IssueCategory
from crm.issues.forms import PICK, enum_choice
from crm.web.fields import CountField, DayField
from crm.web.forms import SEARCHABLE, ChoiceField, EnumField, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field


def company_field(label: Any) -> Any:
    return text_field(label, 200, required=True, description=_l("输入企业名称、拼音或首字母，从提示中选择"), render_kw=COMPANY_PICKER)


class WorkdaysField(CountField):
    """时限（工作日）: a whole number of working days, 1 to a year's."""

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not (1 <= self.data <= MAX_WORKDAYS):
            raise ValidationError(_l("工作日应在 1 到 %(max)d 之间", max=MAX_WORKDAYS))


class RequestForm(VersionedForm):
    company_name = company_field(_l("企业"))
    kind = EnumField(_l("类型"), RequestKind)
    category = enum_choice(_l("诉求类别"), IssueCategory)
    subject = text_field(_l("诉求事项"), 200, required=True)
    description = notes_field(_l("具体情况"), 2000)
    received_on = DayField(_l("受理日期"), required=True)
    responsible_unit_id = ChoiceField(_l("责任单位"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    responsible_person = text_field(_l("负责人"), 60, description=_l("填写职务，例如：局长、主任"))
    deadline = DayField(_l("办理时限（日期）"))
    deadline_workdays = WorkdaysField(_l("或：受理后几个工作日内"), description=_l("填写后按法定节假日推算办理时限，日期可不填"))

    def set_units(self, pairs: list[tuple[int, str]]) -> None:
        self.responsible_unit_id.choices = as_choices([PICK] + pairs)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name, message in (("responsible_unit_id", _l("须明确责任单位")), ("responsible_person", _l("须明确负责人"))):
            if self[name].data in (None, "") and not self[name].errors:
                self[name].errors = [*self[name].errors, message]
                ok = False
        if self.deadline.data is None and self.deadline_workdays.data is None and not self.deadline.errors and not self.deadline_workdays.errors:
            self.deadline.errors = [*self.deadline.errors, _l("须明确办理时限（日期或工作日）")]
            ok = False
        return ok


class MoveForm(VersionedForm):
    """受理 → 办理: nothing to fill in but the version seen."""


class FinishForm(VersionedForm):
    result = notes_field(_l("办理结果"), 2000)


class RevisitForm(VersionedForm):
    satisfaction = EnumField(_l("满意度"), Satisfaction, validators=[DataRequired(message=_l("请选择满意度"))], blank=PICK[1])
    revisit_note = notes_field(_l("回访情况"), 2000)


class ProtectionForm(VersionedForm):
    company_name = company_field(_l("企业"))
    listed_on = DayField(_l("挂牌日期"), required=True)
    leader_id = ChoiceField(_l("分包县级领导"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    contact_unit_id = ChoiceField(_l("联系单位"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    notes = notes_field(_l("备注"), 1000)
    is_active = BooleanField(_l("保护中"), default=True, description=_l("摘牌后取消勾选，记录保留"))

    def set_options(self, leaders: list[tuple[int, str]], units: list[tuple[int, str]]) -> None:
        self.leader_id.choices = as_choices([PICK] + leaders)
        self.contact_unit_id.choices = as_choices([PICK] + units)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name, message in (("leader_id", _l("请选择分包县级领导")), ("contact_unit_id", _l("请选择联系单位"))):
            if self[name].data in (None, "") and not self[name].errors:
                self[name].errors = [*self[name].errors, message]
                ok = False
        return ok


class QuietDaysForm(VersionedForm):
    days = text_field(_l("每月宁静日"), 100, description=_l("例如 1-20 表示每月 1 日至 20 日；多段用逗号分隔，如 1-10,20；留空表示不设"))

    def validate_days(self, field: Any) -> None:
        from flask_babel import gettext

        try:
            parse_month_days(field.data or "")
        except QuietDaysError as error:
            # gettext, not lazy_gettext: a lazy string counts as markup in a template, and this one quotes what was typed.
            raise ValidationError(gettext("无法识别“%(part)s”，请写成 1-20 或 1-10,20 这样的日期（1 到 31）", part=str(error))) from None
