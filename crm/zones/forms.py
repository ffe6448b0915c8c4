"""园区 forms: a zone, a 分区, a land ledger line, a 标准化厂房. Areas in 平方公里, land in 亩, 厂房 in m²."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField
from wtforms.validators import ValidationError

from crm.domain.agreements import Problem
from crm.domain.zones import MAX_KM2, MAX_M2, MAX_MU, BuildingStatus
from crm.web.fields import AmountField, DayField, range_messages
from crm.web.forms import ChoiceField, EnumField, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field

KM2_MESSAGES = {**range_messages(_l("请输入合理的面积（平方公里）")), Problem.NEGATIVE: _l("面积不能为负数")}
MU_MESSAGES = {**range_messages(_l("请输入合理的亩数")), Problem.NEGATIVE: _l("亩数不能为负数")}
M2_MESSAGES = {**range_messages(_l("请输入合理的面积（平方米）")), Problem.NEGATIVE: _l("面积不能为负数")}
WHOLE_ZONE = ("", _l("全园区（不分区）"))


def km2_field(label: Any, **kwargs: Any) -> AmountField:
    return AmountField(label, maximum=MAX_KM2, messages=KM2_MESSAGES, **kwargs)


def mu_field(label: Any, **kwargs: Any) -> AmountField:
    return AmountField(label, maximum=MAX_MU, messages=MU_MESSAGES, **kwargs)


def m2_field(label: Any, **kwargs: Any) -> AmountField:
    return AmountField(label, maximum=MAX_M2, messages=M2_MESSAGES, **kwargs)


class FirmsField(AmountField):
    """入驻企业 (家): a whole number."""

    def pre_validate(self, form: Any) -> None:
        super().pre_validate(form)
        if self.data is not None and self.data != self.data.to_integral_value():
            raise ValidationError(_l("请输入整数"))


class ZoneForm(VersionedForm):
    name = text_field(_l("园区名称"), 120, required=True)
    level = text_field(_l("级别"), 60, description=_l("例如：省级产业集聚区"))
    planned_km2 = km2_field(_l("规划面积（平方公里）"))
    built_km2 = km2_field(_l("建成区面积（平方公里）"))
    industries = text_field(_l("主导产业"), 200, description=_l("多个产业用顿号分隔，例如：新型建材、轻纺、旅游产品加工"))
    firms = FirmsField(_l("入驻企业（家）"), maximum=Decimal(1_000_000), messages=range_messages(_l("请输入合理的企业数")))
    notes = notes_field(_l("备注"), 2000)
    is_active = BooleanField(_l("在用"), default=True, description=_l("撤并后取消勾选，记录保留"))


class PartForm(VersionedForm):
    name = text_field(_l("分区名称"), 60, required=True, description=_l("例如：北区"))
    planned_km2 = km2_field(_l("规划面积（平方公里）"))
    industries = text_field(_l("主导产业"), 200)


class LandForm(VersionedForm):
    part_id = ChoiceField(_l("分区"), coerce=coerce_int_or_none)
    as_of = DayField(_l("截至日期"), required=True)
    reserve_mu = mu_field(_l("储备（亩）"), description=_l("纳入土地储备的面积"))
    acquired_mu = mu_field(_l("已征（亩）"), description=_l("已完成征收的面积"))
    approving_mu = mu_field(_l("报批中（亩）"), description=_l("已征土地中正在办理农用地转用、征收报批的面积"))
    supplied_mu = mu_field(_l("已供地（亩）"), description=_l("已征土地中已供应给项目（挂牌、划拨）的面积"))
    notes = notes_field(_l("备注"), 2000)

    def set_parts(self, pairs: list[tuple[int, str]]) -> None:
        self.part_id.choices = as_choices([WHOLE_ZONE] + pairs)


class BuildingForm(VersionedForm):
    name = text_field(_l("厂房名称"), 120, required=True, description=_l("例如：北区标准化厂房一期"))
    part_id = ChoiceField(_l("分区"), coerce=coerce_int_or_none)
    status = EnumField(_l("状态"), BuildingStatus)
    total_m2 = m2_field(_l("建筑面积（平方米）"))
    let_m2 = m2_field(_l("已出租/已入驻（平方米）"))
    tenants = text_field(_l("入驻企业"), 500)
    notes = notes_field(_l("备注"), 2000)

    def set_parts(self, pairs: list[tuple[int, str]]) -> None:
        self.part_id.choices = as_choices([WHOLE_ZONE] + pairs)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.total_m2.data is None and not self.total_m2.errors:
            self.total_m2.errors = [*self.total_m2.errors, _l("请填写建筑面积")]
            ok = False
        return ok
