"""Forms of the report pages: publishing a month, and the county's 统计口径 / 月评比 settings."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectMultipleField
from wtforms.validators import InputRequired, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from crm.domain.companies import FundingSource, IndustryCategory
from crm.domain.reports import ScoreMethod
from crm.domain.units import UnitType
from crm.reports.labels import METHOD_LABELS
from crm.web.fields import AmountField, MonthField
from crm.web.forms import ChoiceField, as_choices
from crm.web.labels import choices


class PublishForm(FlaskForm):
    period = MonthField(_l("月份"), required=True)


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        values = {str(value) for value, *_ in self.iter_choices()}
        if any(str(v) not in values for v in self.data or []):
            raise ValidationError(_l("请从列表中选择"))


class WholeNumberField(IntegerField):
    """A required whole number between ``low`` and ``high``, with Chinese messages."""

    def __init__(self, label: Any, low: int, high: int, **kwargs: Any) -> None:
        super().__init__(label, validators=[InputRequired(message=_l("必填项"))], render_kw={"inputmode": "numeric"}, **kwargs)
        self.low, self.high = low, high

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        try:
            self.data = int(raw)
        except ValueError:
            self.data = None
            raise ValueError(_l("请输入整数")) from None

    def pre_validate(self, form: Any) -> None:
        if self.data is not None and not self.low <= self.data <= self.high:
            raise ValidationError(_l("请输入 %(low)d 到 %(high)d 之间的整数", low=self.low, high=self.high))


def required_amount(label: Any, **kwargs: Any) -> AmountField:
    field = AmountField(label, **kwargs)
    field.validators = [InputRequired(message=_l("必填项"))]
    return field


class SettingsForm(FlaskForm):
    # 统计口径
    threshold = AmountField(_l("统计门槛：总投资不低于（万元）"), description=_l("默认 10000 万元（1 亿元）"))
    industrial_threshold = AmountField(_l("工业项目门槛（万元）"), description=_l("留空则与上面相同；例如柘城按 5000 万元以上工业项目统计"))
    excluded_categories = MultiCheckboxField(_l("不予认定的行业门类"), choices=as_choices(choices(IndustryCategory)))
    excluded_sources = MultiCheckboxField(_l("不予认定的资金来源地"), choices=as_choices(choices(FundingSource)),
                                          description=_l("默认“县内”：全部由本地企业出资的项目不计入"))
    # flags
    shadow_months = WholeNumberField(_l("影子项目：签约后几个月仍未开工"), 1, 60)
    empty_nest_months = WholeNumberField(_l("空巢项目：主体封顶后几个月仍未投产"), 1, 60)
    # 月评比
    method = ChoiceField(_l("计分方法"), choices=as_choices([(m.value, METHOD_LABELS[m]) for m in ScoreMethod]))
    signing = AmountField(_l("签约（分）"))
    starts = AmountField(_l("新开工与开工率（分）"))
    funds = AmountField(_l("到位资金与省外资金（分）"))
    basics = AmountField(_l("基础工作（分）"))
    issues = AmountField(_l("问题办结（分）"))
    late_report_penalty = AmountField(_l("每次迟报扣分"))
    overdue_issue_penalty = AmountField(_l("每个逾期问题扣分"))
    bonus_top_company = AmountField(_l("500强/央企/龙头亿元以上项目加分"))
    bonus_ten_yi = AmountField(_l("10亿元以上项目加分"))
    unit_types = MultiCheckboxField(_l("参加评比的单位类型"), choices=as_choices(choices(UnitType)))
    praise_top = WholeNumberField(_l("季度通报表扬前几名"), 0, 20)
    criticise_bottom = WholeNumberField(_l("季度通报批评后几名"), 0, 20)
    summon_after_last = WholeNumberField(_l("连续几个月末位约谈（0 为不约谈）"), 0, 12)
    account_after_last = WholeNumberField(_l("连续几个月末位问责（0 为不问责）"), 0, 12)
    # versions of the three stored rows ("0": none yet)
    v_counting_rules = HiddenField()
    v_scorecard = HiddenField()
    v_flags = HiddenField()

    COUNTING_FIELDS = ("threshold", "industrial_threshold", "excluded_categories", "excluded_sources")
    FLAG_FIELDS = ("shadow_months", "empty_nest_months")
    SCORECARD_FIELDS = ("method", "signing", "starts", "funds", "basics", "issues", "late_report_penalty", "overdue_issue_penalty",
                        "bonus_top_company", "bonus_ten_yi", "unit_types", "praise_top", "criticise_bottom", "summon_after_last",
                        "account_after_last")

    def values(self, names: tuple[str, ...]) -> dict[str, Any]:
        found = {}
        for name in names:
            value = getattr(self, name).data
            found[name] = None if value is None else (list(value) if isinstance(value, list) else str(value))
        return found

    def fill(self, data: dict[str, Any]) -> None:
        """Put stored (JSON) values into the fields, typed as each field holds them."""
        from decimal import Decimal

        for name, value in data.items():
            field = getattr(self, name, None)
            if field is None:
                continue
            if isinstance(field, AmountField):
                field.data = Decimal(str(value)) if value not in (None, "") else None
            elif isinstance(field, IntegerField):
                field.data = int(value) if value is not None else None
            else:
                field.data = value
