"""Forms for a year's targets of one owner and a month's 园区指标: one field per indicator, each with the
version of the row it was rendered from."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DecimalField, HiddenField
from wtforms.validators import Optional, ValidationError

from crm.domain.agreements import Problem
from crm.domain.kpi import Indicator
from crm.web.fields import AmountField, typed_decimal
from crm.web.labels import label

TARGET_MESSAGES = {
    Problem.NEGATIVE: _l("目标值不能为负数"),
    Problem.TOO_LARGE: _l("数值过大，请核对单位（万元、个、人）"),
    Problem.TOO_PRECISE: _l("最多保留两位小数"),
}
FIGURE_MESSAGES = {
    Problem.NEGATIVE: _l("不能为负数"),
    Problem.TOO_LARGE: _l("数值过大，请核对单位（万元、个、人）"),
    Problem.TOO_PRECISE: _l("最多保留两位小数"),
}


class ChangeField(DecimalField):
    """同比 %: may be negative; −100 % to +100 000 %."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, places=2, validators=[Optional()], render_kw={"inputmode": "decimal"}, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        self.data = typed_decimal(valuelist[0] if valuelist else "", "%％,", _l("请输入数字，例如 61.3 或 -5"))

    def pre_validate(self, form: Any) -> None:
        if self.data is not None:
            if not Decimal(-100) <= self.data <= Decimal(100_000):
                raise ValidationError(_l("同比应在 -100% 到 100000% 之间"))
            if self.data != self.data.quantize(Decimal("0.01")):
                raise ValidationError(_l("最多保留两位小数"))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else f"{self.data:f}"


def target_form(indicators: list[Indicator]) -> type[FlaskForm]:
    """A form class with ``<indicator>`` (the value) and ``v_<indicator>`` (the row's version, "0" for none)."""
    attrs: dict[str, Any] = {}
    for indicator in indicators:
        attrs[indicator.value] = AmountField(label(indicator), messages=TARGET_MESSAGES)
        attrs[f"v_{indicator.value}"] = HiddenField()
    return type("TargetForm", (FlaskForm,), attrs)


def zone_form(indicators: list[Indicator]) -> type[FlaskForm]:
    """``<indicator>`` (1–N月 value), ``yoy_<indicator>`` (同比 %), ``v_<indicator>`` (version)."""
    attrs: dict[str, Any] = {}
    for indicator in indicators:
        attrs[indicator.value] = AmountField(label(indicator), messages=FIGURE_MESSAGES)
        attrs[f"yoy_{indicator.value}"] = ChangeField(_l("同比（%）"))
        attrs[f"v_{indicator.value}"] = HiddenField()
    return type("ZoneForm", (FlaskForm,), attrs)
