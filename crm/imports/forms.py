"""The upload page's forms: the file and its kind, then the sheet, the header rows and each column's field."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from crm.domain.imports.fields import FIELDS, Kind, field_named
from crm.domain.imports.headers import Layout
from crm.imports.context import DEFAULTABLE
from crm.imports.reading import SUFFIXES
from crm.web.forms import ChoiceField, LookupField, as_choices
from crm.web.labels import label, label_text

LEAVE_OUT = ""  # a column's choice "不导入"
ACCEPT = ",".join(SUFFIXES)


class UploadForm(FlaskForm):
    kind = ChoiceField(_l("导入内容"))
    # County roles only (``importing_units``): the unit of their subtree the records go to; others import into their own.
    unit_id = LookupField(_l("导入到单位"), description=_l("企业名录不属于任何单位，可不选"))
    file = FileField(
        _l("台账文件"),
        validators=[FileRequired(message=_l("请选择要导入的文件"))],
        description=_l("Excel（.xlsx、.xls）、WPS 或 LibreOffice（.ods）表格，或 CSV（UTF-8 或 GBK）"),
        render_kw={"accept": ACCEPT},
    )

    def offer(self, kinds: list[Kind]) -> None:
        self.kind.choices = as_choices([(kind.value, label(kind)) for kind in kinds])


class ColumnsForm(FlaskForm):
    """Built per sheet (``columns_form``): ``sheet``, ``first_row``/``last_row`` and one ``col_<letter>`` per column,
    plus ``default_<field>`` for what the sheet lacks."""

    sheet = ChoiceField(_l("工作表"))
    first_row = IntegerField(_l("表头起始行"), validators=[Optional(), NumberRange(1, 30, _l("请填写 1 到 30 之间的行号"))])
    last_row = IntegerField(_l("表头结束行"), validators=[Optional(), NumberRange(1, 30, _l("请填写 1 到 30 之间的行号"))])
    remember = BooleanField(_l("记住这些列，下次导入同类台账时自动套用"), default=True)

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        first, last = self.first_row.data, self.last_row.data
        if (first is None) != (last is None):
            (self.last_row if last is None else self.first_row).errors.append(_l("请同时填写表头的起始行和结束行"))
            return False
        if first is not None and last is not None and last < first:
            self.last_row.errors.append(_l("结束行不能在起始行之前"))
            return False
        return valid

    def column_fields(self) -> list[Any]:
        return [f for f in self if f.name.startswith("col_")]

    def default_fields(self) -> list[Any]:
        return [f for f in self if f.name.startswith("default_")]


def field_choices(kind: Kind) -> list[tuple[str, Any]]:
    return [(LEAVE_OUT, _l("不导入"))] + [(f.name, f.label + ("*" if f.required else "")) for f in FIELDS[kind]]


def columns_form(kind: Kind, layout: Layout | None, sheet_names: list[str], formdata: Any = None, **data: Any) -> ColumnsForm:
    """The form for this sheet: a select per column of the layout (none while no header is found), and a default
    for each field the sheet may lack (a lead's 来源方式)."""

    class Form(ColumnsForm):
        pass

    choices = as_choices(field_choices(kind))
    for column in layout.columns if layout is not None else ():
        setattr(Form, f"col_{column.letter}", ChoiceField(column.header or column.letter, choices=choices, default=column.field or LEAVE_OUT))
    for name in DEFAULTABLE.get(kind, ()):
        spec = field_named(kind, name)
        assert spec.choices is not None
        options = [("", _l("（表中未填时）不设"))] + [(m.value, label_text(m)) for m in spec.choices.words]
        setattr(Form, f"default_{name}", ChoiceField(spec.label, choices=as_choices(options), description=_l("表中这一列为空或没有这一列时使用")))
    form = Form(formdata=formdata, **data)
    form.sheet.choices = as_choices([(name, name) for name in sheet_names])
    return form
