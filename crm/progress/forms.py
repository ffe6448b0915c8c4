"""Forms of 倒排工期 milestones, monthly progress reports and 到位资金 entries."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import HiddenField, TextAreaField
from wtforms.validators import InputRequired, Length, ValidationError

from crm.attachments.services import ACCEPT, MAX_SIZE_TEXT
from crm.domain.agreements import Problem
from crm.domain.companies import FundingSource
from crm.domain.projects import FundPurpose, MilestoneKind
from crm.web.fields import AMOUNT_MESSAGES, AmountField, DayField, MonthField
from crm.web.forms import ChoiceField, EnumField, NoControlCharacters, SEARCHABLE, VersionedForm, as_choices, coerce_int_or_none, text_field
from crm.web.labels import label

# 万元. The brief's ceiling for one entry: below 10^12 万元 — anything near it is a unit error anyway.
MAX_FUND = Decimal("999999999999.99")
PHOTO_ACCEPT = ".jpg,.jpeg,.png"

# The amount fields' messages (crm.web.fields), with this feature's own words where they differ.
FUND_MESSAGES = {
    **AMOUNT_MESSAGES,
    Problem.NEGATIVE: _l("到位金额必须大于 0"),
    Problem.TOO_LARGE: _l("金额过大（须小于 10^12 万元），请核对单位是否为万元"),
}
INVESTMENT_MESSAGES = {**AMOUNT_MESSAGES, Problem.NEGATIVE: _l("累计完成投资不能为负数")}


class PositiveAmountField(AmountField):
    """A required amount in 万元 that must be more than zero (到位资金)."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, maximum=MAX_FUND, messages=FUND_MESSAGES, **kwargs)
        self.validators = [InputRequired(message=_l("请填写金额"))]
        self.flags.required = True

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and self.data == 0:
            raise ValidationError(FUND_MESSAGES[Problem.NEGATIVE])
        super().pre_validate(form)


def _files_field(text: Any, description: Any, accept: str) -> MultipleFileField:
    return MultipleFileField(text, description=description, render_kw={"accept": accept, "multiple": True})


def chosen_files(field: Any) -> list[Any]:
    """The files actually chosen (a browser sends one empty part when none is)."""
    return [f for f in (field.data or []) if f is not None and getattr(f, "filename", None)]


def unit_choices(pairs: list[tuple[int, str]]) -> list[Any]:
    return as_choices([("", "—")] + pairs)


class MilestoneForm(VersionedForm):
    kind = EnumField(_l("节点"), MilestoneKind)
    planned_on = DayField(_l("计划日期"), required=True)
    actual_on = DayField(_l("实际完成日期"), description=_l("节点完成后填写，不能晚于今天"))
    responsible_unit_id = ChoiceField(_l("责任单位"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    note = text_field(_l("备注"), 500)

    def set_units(self, pairs: list[tuple[int, str]]) -> None:
        self.responsible_unit_id.choices = unit_choices(pairs)


def schedule_form() -> FlaskForm:
    """倒排工期: one planned date per standard 节点 (the view fills in the dates already set)."""

    class ScheduleForm(FlaskForm):
        stamp = HiddenField()  # the milestones' ids and versions when the form was rendered

    for kind in MilestoneKind:
        setattr(ScheduleForm, f"planned_{kind.value}", DayField(label(kind)))
    return ScheduleForm()


def schedule_field_name(kind: MilestoneKind) -> str:
    return f"planned_{kind.value}"


class ReportForm(VersionedForm):
    period = MonthField(_l("月份"), required=True, description=_l("每月一条，例如 2025-04"))
    cumulative_investment = AmountField(
        _l("累计完成投资（万元）"), messages=INVESTMENT_MESSAGES, description=_l("自开工以来累计，只增不减")
    )
    description = TextAreaField(
        _l("形象进度"),
        validators=[
            InputRequired(message=_l("必填项")),
            Length(max=4000, message=_l("不能超过 %(max)d 个字符", max=4000)),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        description=_l("本月施工到了哪一步，例如：主体钢结构完成 80%，设备进场"),
    )
    files = _files_field(
        _l("现场照片"), _l("JPG 或 PNG，可多选，每张不超过 %(size)s", size=MAX_SIZE_TEXT), PHOTO_ACCEPT
    )


class FundForm(VersionedForm):
    period = MonthField(_l("月份"), required=True, description=_l("资金到位的月份，例如 2025-04"))
    amount = PositiveAmountField(_l("本期到位（万元）"))
    source = EnumField(_l("来源地"), FundingSource)
    purpose = EnumField(_l("用途"), FundPurpose)
    note = text_field(_l("备注"), 500)
    files = _files_field(
        _l("佐证材料"), _l("银行进账单等，PDF、JPG 或 PNG，可多选，每个不超过 %(size)s", size=MAX_SIZE_TEXT), ACCEPT
    )


class PhotosForm(FlaskForm):
    files = _files_field(_l("添加照片"), _l("JPG 或 PNG，可多选，每张不超过 %(size)s", size=MAX_SIZE_TEXT), PHOTO_ACCEPT)


class EvidenceForm(FlaskForm):
    files = _files_field(_l("添加佐证材料"), _l("PDF、JPG 或 PNG，可多选，每个不超过 %(size)s", size=MAX_SIZE_TEXT), ACCEPT)


class ReviewForm(VersionedForm):
    next = HiddenField()


class RejectForm(VersionedForm):
    comment = text_field(_l("退回意见"), 500, required=True, description=_l("告诉填报人哪里不对、需要补充什么"))
    next = HiddenField()
