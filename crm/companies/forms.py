from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, TextAreaField
from wtforms.validators import ValidationError

from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory, Ownership
from crm.web.fields import AmountField, range_messages
from crm.web.forms import EMAIL, PHONES, ChoiceField, EnumField, has_control_characters, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field
from crm.web.labels import choices

NAME_MAX = 200


def _lines(value: Any) -> list[str]:
    if isinstance(value, list):
        return value
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


CAPITAL_MESSAGES = range_messages(_l("请输入 0 以上的金额（万元）"))


class NameListField(TextAreaField):
    """One name per line; each line is checked like a name."""

    def process_formdata(self, valuelist: list[str]) -> None:
        self.data = _lines(valuelist[0]) if valuelist else []

    def _value(self) -> str:
        return "\n".join(self.data or [])

    def pre_validate(self, form: Any) -> None:
        for line in self.data or []:
            if len(line) > NAME_MAX:
                raise ValidationError(_l("每个名称不能超过 %(max)d 个字符", max=NAME_MAX))
            if has_control_characters(line):
                raise ValidationError(_l("含有不可见的控制字符，请删除后重新输入"))


class TagsField(SelectMultipleField):
    def pre_validate(self, form: Any) -> None:
        allowed = {t.value for t in CompanyTag}
        if any(value not in allowed for value in self.data or []):
            raise ValidationError(_l("请从列表中选择"))


class CompanyForm(VersionedForm):
    name = text_field(_l("企业名称"), NAME_MAX, required=True, render_kw={"autocomplete": "off"})
    short_name = text_field(_l("简称"), 60)
    english_name = text_field(_l("英文名"), NAME_MAX)
    former_names = NameListField(_l("曾用名"), description=_l("每行一个"))
    alias_names = NameListField(_l("其他写法"), description=_l("每行一个，例如常见的错写、旧称"))
    credit_code = text_field(_l("统一社会信用代码"), 40, description=_l("18 位，可不填；填写时会校验"))
    ownership = EnumField(_l("所有制"), Ownership, blank="—")
    tags = TagsField(_l("企业标签"), choices=as_choices(choices(CompanyTag)))
    hq_province = text_field(_l("总部所在省"), 20)
    hq_city = text_field(_l("总部所在市"), 30)
    funding_source = EnumField(_l("资金来源地"), FundingSource, blank="—")
    industry_category = EnumField(_l("行业门类"), IndustryCategory, blank="—")
    chain_id = ChoiceField(_l("主导产业链"), coerce=coerce_int_or_none)
    registered_capital = AmountField(_l("注册资本（万元）"), maximum=Decimal("99999999999"), messages=CAPITAL_MESSAGES)
    website = text_field(_l("网址"), 200)
    notes = notes_field(_l("备注"))
    confirm_distinct = BooleanField(_l("这是另一家企业（已核对上面列出的相似企业）"))

    def set_chains(self, pairs: list[tuple[int, str]]) -> None:
        self.chain_id.choices = as_choices([("", "—")] + pairs)


class ContactForm(VersionedForm):
    name = text_field(_l("姓名"), 60, required=True)
    title = text_field(_l("职务"), 60)
    phones = text_field(_l("电话"), 120, description=_l("多个号码用逗号分隔"), extra=[PHONES])
    email = text_field(_l("电子邮箱"), 120, extra=[EMAIL])
    wechat = text_field(_l("微信"), 60)
    notes = notes_field(_l("备注"), 1000)
