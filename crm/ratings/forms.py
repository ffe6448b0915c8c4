"""The score sheet of one 服务单位 (a field per criterion of the county's sheet) and a criterion's form."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any, Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DecimalField, IntegerField
from wtforms.validators import InputRequired, NumberRange, Optional

from crm.ratings.models import RatingCriterion
from crm.web.fields import typed_decimal
from crm.web.forms import VersionedForm, notes_field, text_field


class PointsField(DecimalField):
    """得分: a number such as 27.5 (full-width digits and spaces are fine); what was typed is kept on a refusal."""

    def __init__(self, label: Any, **kwargs: Any) -> None:
        super().__init__(label, places=1, render_kw={"inputmode": "decimal", "autocomplete": "off"}, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        raw = unicodedata.normalize("NFKC", str(valuelist[0])) if valuelist else ""
        self.data = typed_decimal(raw, " 分", _l("请输入分数，例如 27.5"))

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else f"{self.data.normalize():f}"


def field_name(criterion_id: int) -> str:
    return f"c_{criterion_id}"


def sheet_form(criteria: Sequence[RatingCriterion]) -> type[VersionedForm]:
    """A form class with ``c_<criterion id>`` (its points) and ``comment``, versioned like every edit."""
    attrs: dict[str, Any] = {
        field_name(c.id): PointsField(_l("%(name)s（满分 %(max)s）", name=c.name, max=f"{c.max_points.normalize():f}"))
        for c in criteria
    }
    attrs["comment"] = notes_field(_l("评议意见"), max_length=1000)
    return type("SheetForm", (VersionedForm,), attrs)


class NewCriterionForm(FlaskForm):
    name = text_field(_l("评议内容"), 60, required=True)
    max_points = PointsField(_l("满分"), validators=[InputRequired(message=_l("必填项")),
                                                    NumberRange(min=Decimal("0.5"), max=Decimal(100), message=_l("满分应在 0.5 到 100 之间"))])
    sort_order = IntegerField(_l("排序"), default=0, validators=[Optional(), NumberRange(min=0, max=999, message=_l("排序应在 0 到 999 之间"))])


class CriterionForm(VersionedForm, NewCriterionForm):
    is_active = BooleanField(_l("启用"), default=True)
