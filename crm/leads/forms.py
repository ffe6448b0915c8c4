from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from wtforms import BooleanField, DateField
from wtforms.validators import InputRequired, Optional, ValidationError

from crm.domain.leads import LeadGrade, LeadSource, LeadStatus
from crm.web.fields import AmountField, range_messages
from crm.web.forms import ChoiceField, EnumField, SEARCHABLE, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field
from crm.companies.picker import COMPANY_PICKER

AMOUNT_MESSAGES = range_messages(_l("请输入 0 到 1 亿万元之间的金额"))
LAND_MESSAGES = range_messages(_l("请输入合理的亩数"))


def _optional(pairs: list[tuple[Any, Any]]) -> Any:
    return as_choices([("", "—")] + pairs)


class LeadForm(VersionedForm):
    name = text_field(_l("线索名称"), 120, required=True)
    company_name = text_field(
        _l("投资方企业"), 200, required=True, render_kw=COMPANY_PICKER
    )
    create_company = BooleanField(_l("企业库中没有时新建该企业"))
    source = EnumField(_l("来源方式"), LeadSource)
    referrer = text_field(_l("引荐人/引荐单位"), 120)
    # (AmountField: NaN, Infinity and 1e999 are refused next to the field, as every amount of the product is)
    amount_low = AmountField(_l("拟投资额（万元）"), messages=AMOUNT_MESSAGES)
    amount_high = AmountField(_l("至（万元，区间时填写）"), messages=AMOUNT_MESSAGES)
    construction = notes_field(_l("建设内容"), 2000)
    land_mu = AmountField(_l("用地需求（亩）"), maximum=Decimal(1_000_000), messages=LAND_MESSAGES)
    expected_output = AmountField(_l("预计年产值（万元）"), messages=AMOUNT_MESSAGES)
    expected_tax = AmountField(_l("预计年税收（万元）"), messages=AMOUNT_MESSAGES)
    chain_id = ChoiceField(_l("主导产业链"), coerce=coerce_int_or_none)
    grade = EnumField(_l("等级"), LeadGrade, blank="—")
    received_on = DateField(_l("接收日期"), validators=[InputRequired(message=_l("请填写日期"))], render_kw={"type": "date"})
    assessment = notes_field(_l("研判结论"), 2000)
    next_follow_up_on = DateField(_l("下次跟进日期"), validators=[Optional()], render_kw={"type": "date"})
    owner_id = ChoiceField(_l("跟进人"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)

    def set_options(self, chains: list[tuple[int, str]]) -> None:
        self.chain_id.choices = _optional(chains)

    def validate_amount_high(self, field: Any) -> None:
        if field.data is not None and self.amount_low.data is not None and field.data < self.amount_low.data:
            raise ValidationError(_l("区间上限不能小于下限"))


class StatusForm(VersionedForm):
    status = EnumField(_l("状态"), LeadStatus)
    reason = text_field(_l("放弃原因"), 500)
