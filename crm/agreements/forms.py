from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, HiddenField, IntegerField
from wtforms.validators import InputRequired, Optional, ValidationError

from crm.attachments.services import ACCEPT, MAX_SIZE_TEXT
from crm.domain.agreements import MAX_AMOUNT, MAX_JOBS, MAX_PER_MU, AgreementType, Problem, amount_problem, date_problem
from crm.web.forms import ChoiceField, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field
from crm.web.labels import choices

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]

AMOUNT_MESSAGES = {
    Problem.NEGATIVE: _l("金额不能为负数"),
    Problem.TOO_LARGE: _l("金额不能超过 1 亿万元（即 1 万亿元），请核对单位是否为万元"),
    Problem.TOO_PRECISE: _l("最多保留两位小数"),
}
PER_MU_MESSAGES = {
    Problem.NEGATIVE: _l("不能为负数"),
    Problem.TOO_LARGE: _l("数值过大，请核对单位是否为万元/亩"),
    Problem.TOO_PRECISE: _l("最多保留两位小数"),
}


class DayField(DateField):
    """A date typed as 2025-04-18 (or 2025/04/18), with a Chinese message when it is not one."""

    def __init__(self, label: Any, required: bool = False, **kwargs: Any) -> None:
        validators = [InputRequired(message=_l("请填写日期"))] if required else [Optional()]
        super().__init__(label, validators=validators, format=DATE_FORMATS, render_kw={"type": "date"}, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(_l("请输入日期，例如 2025-04-18")) from None

    def post_validate(self, form: Any, validation_stopped: bool) -> None:
        if not validation_stopped and date_problem(self.data):
            self.errors.append(_l("日期超出合理范围，请核对"))


class AmountField(DecimalField):
    """An exact decimal (万元 or 万元/亩): thousands separators allowed, never negative, absurd or finer than 0.01."""

    def __init__(self, label: Any, maximum: Decimal = MAX_AMOUNT, messages: dict[Problem, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(label, places=2, validators=[Optional()], render_kw={"inputmode": "decimal"}, **kwargs)
        self.maximum = maximum
        self.messages = messages or AMOUNT_MESSAGES

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        raw = str(valuelist[0]).strip().replace(",", "").replace("，", "").replace(" ", "")
        if not raw:
            self.data = None
            return
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.data = None
            raise ValueError(_l("请输入数字，例如 30000")) from None
        if not value.is_finite():
            self.data = None
            raise ValueError(_l("请输入数字，例如 30000"))
        self.data = value

    def pre_validate(self, form: Any) -> None:
        if problem := amount_problem(self.data, self.maximum):
            raise ValidationError(self.messages[problem])

    def _value(self) -> str:
        if self.raw_data:  # what was typed, as typed
            return str(self.raw_data[0])
        return "" if self.data is None else f"{self.data:f}"


class CountField(IntegerField):
    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, validators=[Optional()], render_kw={"inputmode": "numeric"}, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip().replace(",", ""))
        except ValueError:
            self.data = None
            raise ValueError(_l("请输入整数")) from None

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not (0 <= self.data <= MAX_JOBS):
            raise ValidationError(_l("请输入 0 到 %(max)d 之间的人数", max=MAX_JOBS))


class AgreementForm(VersionedForm):
    type = ChoiceField(_l("协议类型"), choices=as_choices(choices(AgreementType)))
    name = text_field(_l("协议名称"), 200, description=_l("可不填"))
    number = text_field(_l("协议编号"), 60, description=_l("可不填"))
    signed_on = DayField(_l("签约日期"), required=True)
    signing_event = text_field(_l("签约活动"), 120, description=_l("例如：三个一批第二期、投洽会"))
    party_a = text_field(
        _l("甲方"), 120, required=True, description=_l("县政府、管委会或授权单位"),
        render_kw={"list": "party-a-suggestions", "autocomplete": "off"},
    )
    company_name = text_field(
        _l("乙方（企业）"), 200, required=True, description=_l("输入企业名称、拼音或首字母，从提示中选择"),
        render_kw={"list": "company-suggestions", "autocomplete": "off"},
    )
    company_id = HiddenField()  # set when the form is opened from a company's page
    lead_id = ChoiceField(_l("关联线索"), coerce=coerce_int_or_none)
    investment_amount = AmountField(_l("协议投资额（万元）"))
    attracted_amount = AmountField(_l("合同引资额（万元）"), description=_l("外来资金部分，不含本地投资方出资"))
    planned_start_on = DayField(_l("约定开工日期"))
    planned_production_on = DayField(_l("约定投产日期"))
    investment_intensity = AmountField(_l("投资强度（万元/亩）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES)
    tax_per_mu = AmountField(_l("亩均税收（万元/亩）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES)
    jobs = CountField(_l("承诺用工（人）"))
    notes = notes_field(_l("备注"))

    def set_leads(self, pairs: list[tuple[int, str]]) -> None:
        self.lead_id.choices = as_choices([("", "—")] + pairs)


class TerminateForm(VersionedForm):
    terminated_on = DayField(_l("终止日期"), required=True)
    reason = text_field(_l("终止原因"), 500, required=True)


class UploadForm(FlaskForm):
    file = FileField(
        _l("上传附件"),
        validators=[FileRequired(message=_l("请选择要上传的文件"))],
        description=_l("PDF、JPG 或 PNG，每个不超过 %(size)s", size=MAX_SIZE_TEXT),
        render_kw={"accept": ACCEPT},
    )
