"""Typed fields shared by the features' forms: days, months, amounts in 万元, head counts.

Each turns what was typed into a value or a Chinese message next to the field, and shows
back exactly what was typed when the form is re-rendered.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import DateField, DecimalField, IntegerField, StringField
from wtforms.validators import InputRequired, Optional, ValidationError

from crm.domain.agreements import MAX_AMOUNT, MAX_JOBS, Problem, amount_problem, date_problem

DATE_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d"]

AMOUNT_MESSAGES = {
    Problem.NEGATIVE: _l("金额不能为负数"),
    Problem.TOO_LARGE: _l("金额不能超过 1 亿万元（即 1 万亿元），请核对单位是否为万元"),
    Problem.TOO_PRECISE: _l("最多保留两位小数"),
}
def range_messages(out_of_range: Any) -> dict[Problem, Any]:
    """An AmountField's messages when one sentence says what is allowed (negative or too large alike)."""
    return {Problem.NEGATIVE: out_of_range, Problem.TOO_LARGE: out_of_range, Problem.TOO_PRECISE: AMOUNT_MESSAGES[Problem.TOO_PRECISE]}


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


def typed_decimal(raw: Any, ignore: str, message: Any) -> Decimal | None:
    """What was typed as an exact decimal (None when blank), ignoring the characters in ``ignore``
    (thousands separators, spaces, a % sign); ValueError(message) when it is not a finite number."""
    text = str(raw).strip()
    for character in ignore:
        text = text.replace(character, "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(message) from None
    if not value.is_finite():
        raise ValueError(message)
    return value


class AmountField(DecimalField):
    """An exact decimal (万元 or 万元/亩): thousands separators allowed, never negative, absurd or finer than 0.01."""

    def __init__(self, label: Any, maximum: Decimal = MAX_AMOUNT, messages: dict[Problem, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(label, places=2, validators=[Optional()], render_kw={"inputmode": "decimal"}, **kwargs)
        self.maximum = maximum
        self.messages = messages or AMOUNT_MESSAGES

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist:
            return
        self.data = None
        self.data = typed_decimal(valuelist[0], " ,，", _l("请输入数字，例如 30000"))

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


MONTH = re.compile(r"(\d{4})[-/.年](\d{1,2})月?")


class MonthField(StringField):
    """A statistics month typed as 2025-04 (or 2025/4, 2025年4月), stored as "YYYY-MM"."""

    def __init__(self, label: Any, required: bool = False, **kwargs: Any) -> None:
        validators = [InputRequired(message=_l("请填写月份"))] if required else [Optional()]
        super().__init__(label, validators=validators, render_kw={"type": "month", "placeholder": "2025-04"}, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        raw = str(valuelist[0]).strip() if valuelist else ""
        if not raw:
            self.data = None
            return
        match = MONTH.fullmatch(raw)
        if not match or not (1 <= int(match.group(2)) <= 12) or not (1990 <= int(match.group(1)) <= 2099):
            self.data = None
            raise ValueError(_l("请输入月份，例如 2025-04"))
        self.data = f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return self.data or ""
