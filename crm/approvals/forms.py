"""审批手续 forms: one procedure of a project, the county's 审批事项清单, the one-button 上报."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import ValidationError

from crm.aftercare.forms import WorkdaysField
from crm.domain.approvals import KIND_LENGTH, MAX_KINDS, MAX_WORKDAYS, KindsError, parse_kinds
from crm.issues.forms import PICK
from crm.web.fields import DayField
from crm.web.forms import SEARCHABLE, ChoiceField, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field

NOBODY = ("", _l("（不选，填写姓名）"))


def _coerce_text(value: Any) -> str:
    return "" if value is None else str(value)


class ProcedureForm(VersionedForm):
    kind = ChoiceField(_l("审批事项"), coerce=_coerce_text)
    agent_unit_id = ChoiceField(_l("代办单位"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    agent_user_id = ChoiceField(_l("代办员"), coerce=coerce_int_or_none)
    agent_name = text_field(_l("或：代办员姓名/职务"), 60)
    promised_workdays = WorkdaysField(_l("承诺时限（工作日）"), description=_l("留空按审批事项清单的默认时限"))
    filed_on = DayField(_l("受理/申报日期"))
    finished_on = DayField(_l("办结日期"))
    not_applicable = BooleanField(_l("本项目不适用"))
    note = notes_field(_l("备注"), 500)

    def set_options(self, kinds: list[tuple[str, str]], units: list[tuple[int, str]], users: list[tuple[int, str]]) -> None:
        self.kind.choices = as_choices([PICK] + kinds)
        self.agent_unit_id.choices = as_choices([PICK] + units)
        self.agent_user_id.choices = as_choices([NOBODY] + users)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name, message in (("kind", _l("请选择审批事项")), ("agent_unit_id", _l("须明确代办单位"))):
            if self[name].data in (None, "") and not self[name].errors:
                self[name].errors = [*self[name].errors, message]
                ok = False
        return ok


class KindsForm(VersionedForm):
    kinds = notes_field(_l("审批事项清单"), 4000, description=_l("每行一项：事项名称 和 承诺时限（工作日），例如“用地预审 20”；清空后恢复默认清单"), render_kw={"rows": 12})

    def validate_kinds(self, field: Any) -> None:
        from flask_babel import gettext

        try:
            parse_kinds(field.data or "")
        except KindsError as error:
            messages = {"format": gettext("请写成“事项名称 工作日数”"), "long": gettext("事项名称不能超过 %(max)d 个字符", max=KIND_LENGTH),
                        "days": gettext("工作日应在 1 到 %(max)d 之间", max=MAX_WORKDAYS), "twice": gettext("事项名称重复"), "many": gettext("最多 %(n)d 项", n=MAX_KINDS)}
            raise ValidationError(gettext("第 %(line)d 行：%(reason)s", line=error.line, reason=messages[error.reason])) from None


class EscalateForm(VersionedForm):
    """上报问题台账: nothing to fill in but the version seen."""
