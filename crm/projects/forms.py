from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, MultipleFileField

from crm.attachments.services import ACCEPT, MAX_SIZE_TEXT
from crm.domain.companies import FundingSource, IndustryCategory
from crm.domain.pipeline import Nature
from crm.domain.projects import Sector
from crm.web.fields import AmountField, CountField, DayField, MonthField
from crm.web.forms import ChoiceField, EnumField, SEARCHABLE, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field
from crm.companies.picker import COMPANY_PICKER

def _optional(pairs: list[tuple[Any, Any]]) -> Any:
    return as_choices([("", "—")] + pairs)


class ProjectForm(VersionedForm):
    """项目基本信息. Stage facts (签约月, 注册, 开工 …) are reported through stage reports, not here."""

    name = text_field(_l("项目名称"), 120, required=True)
    company_name = text_field(
        _l("外来投资方"), 200, required=True, description=_l("输入企业名称、拼音或首字母，从提示中选择"),
        render_kw=COMPANY_PICKER,
    )
    create_company = BooleanField(_l("企业库中没有时新建该企业"))
    local_company_name = text_field(
        _l("本地投资方"), 200, description=_l("合资项目的本地出资企业，可不填"),
        render_kw=COMPANY_PICKER,
    )
    construction = notes_field(_l("建设内容"), 2000)
    nature = EnumField(_l("项目性质"), Nature)
    total_investment = AmountField(_l("总投资（万元）"))
    first_phase_investment = AmountField(_l("一期投资（万元）"))
    contracted_amount = AmountField(_l("合同引资额（万元）"), description=_l("外来资金部分，不含本地投资方出资"))
    out_of_province_amount = AmountField(_l("其中省外资金（万元）"))
    foreign_capital = AmountField(_l("外资（万美元）"))
    funding_source = EnumField(_l("资金来源地"), FundingSource, blank="—")
    industry_category = EnumField(_l("行业门类"), IndustryCategory, blank="—")
    sector = EnumField(_l("三次产业"), Sector, blank="—")
    chain_id = ChoiceField(_l("主导产业链"), coerce=coerce_int_or_none)
    site = text_field(_l("建设地点（园区）"), 120)
    land_mu = AmountField(_l("用地（亩）"))
    planned_start_on = DayField(_l("计划开工日期"))
    planned_production_on = DayField(_l("计划投产日期"))
    tracked_since = DayField(_l("入库日期"), required=True, description=_l("开始跟踪该项目的日期；节点和资金不能早于此日期"))
    owner_id = ChoiceField(_l("跟踪人"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)

    def set_options(self, chains: list[tuple[int, str]]) -> None:
        self.chain_id.choices = _optional(chains)


class StageForm(FlaskForm):
    """A stage report (阶段申报). Which fields matter depends on the target stage (see STAGE_FIELDS)."""

    period = MonthField(_l("发生月份（统计期）"), required=True, description=_l("该阶段发生的月份，统计计入该月"))
    agreement_id = ChoiceField(_l("正式投资合同"), coerce=coerce_int_or_none)
    total_investment = AmountField(_l("总投资（万元）"))
    first_phase_investment = AmountField(_l("一期投资（万元）"))
    contracted_amount = AmountField(_l("合同引资额（万元）"))
    registration_number = text_field(_l("工商注册号（统一社会信用代码）"), 40)
    registered_name = text_field(_l("工商注册名称"), 200)
    registered_capital = AmountField(_l("注册资本（万元）"))
    legal_representative = text_field(_l("法人代表"), 60)
    site = text_field(_l("建设地点（园区）"), 120)
    land_mu = AmountField(_l("用地（亩）"))
    capacity = text_field(_l("已形成产能"), 200)
    monthly_sales = AmountField(_l("月销售收入（万元）"))
    monthly_tax = AmountField(_l("月税收（万元）"))
    employees = CountField(_l("用工（人）"))
    evidence = MultipleFileField(
        _l("佐证材料"), description=_l("施工许可或开工照片等：PDF、JPG 或 PNG，每个不超过 %(size)s", size=MAX_SIZE_TEXT),
        render_kw={"accept": ACCEPT},
    )
    reason = text_field(_l("原因"), 500)
    note = notes_field(_l("说明"), 2000)

    def set_agreements(self, pairs: list[tuple[int, str]]) -> None:
        self.agreement_id.choices = _optional(pairs)


class ReviewForm(FlaskForm):
    comment = text_field(_l("审核意见"), 500)


class RejectForm(FlaskForm):
    comment = text_field(_l("退回原因"), 500, required=True)
