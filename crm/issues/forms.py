"""问题台账 forms. 责任单位, 负责人 and 办理期限 are all required, each with its own message."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, TextAreaField
from wtforms.validators import DataRequired, Length

from crm.domain.issues import IssueActionKind, IssueCategory, IssueLevel, IssueSource
from crm.web.fields import DayField
from crm.web.forms import ChoiceField, EnumField, NoControlCharacters, SEARCHABLE, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field
from crm.web.labels import label

PICK = ("", _l("请选择"))
DESCRIPTION_MAX = 2000
NOTE_MAX = 2000

# The seed: "明确具体负责人, 限定问题解决期限". Said next to each field that is missing.
REQUIRED_TRIO = {
    "responsible_unit_id": _l("须明确责任单位"),
    "responsible_person": _l("须明确负责人"),
    "deadline": _l("须明确办理期限"),
}


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def required_text(label_text: Any, missing: Any, max_length: int) -> TextAreaField:
    """A text of a few lines that must be written (``missing`` says so next to the field), stripped."""
    return TextAreaField(
        label_text,
        validators=[
            DataRequired(message=missing),
            Length(max=max_length, message=_l("不能超过 %(max)d 个字符", max=max_length)),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[_strip],
    )


def enum_choice(label_text: Any, enum_cls: Any, **kwargs: Any) -> EnumField:
    """A required pick from an enumeration; the empty "请选择" is refused next to the field."""
    return EnumField(label_text, enum_cls, validators=[DataRequired(message=_l("请从列表中选择"))], blank=PICK[1], **kwargs)


class IssueForm(VersionedForm):
    project_id = ChoiceField(_l("所属项目"), coerce=coerce_int_or_none, description=_l("不涉及具体项目的（如融资渠道单一）选“县级问题”"))
    description = required_text(_l("问题描述"), _l("请填写问题描述"), DESCRIPTION_MAX)
    category = enum_choice(_l("问题类别"), IssueCategory)
    source = enum_choice(_l("问题来源"), IssueSource)
    raised_on = DayField(_l("提出日期"), required=True)
    responsible_unit_id = ChoiceField(_l("责任单位"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    responsible_person = text_field(_l("负责人"), 60, description=_l("填写职务，例如：指挥长、局长、主任"))
    deadline = DayField(_l("办理期限"))
    level = enum_choice(_l("协调层级"), IssueLevel, description=_l("之后只能逐级上提"))
    long_term = BooleanField(_l("长期跟踪"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in REQUIRED_TRIO:
            self[name].flags.required = True

    def set_projects(self, pairs: list[tuple[int, str]], allow_none: bool = True) -> None:
        head = [("", _l("县级问题（不涉及具体项目）"))] if allow_none else []
        self.project_id.choices = as_choices(head + pairs)

    def set_units(self, pairs: list[tuple[int, str]]) -> None:
        self.responsible_unit_id.choices = as_choices([PICK] + pairs)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name, message in REQUIRED_TRIO.items():
            field = self[name]
            if field.data in (None, "") and not field.errors:
                field.errors = [*field.errors, message]
                ok = False
        return ok


class IssueEditForm(IssueForm):
    """The 协调层级 changes only by 上提, one level at a time: not on the edit form."""

    level = None  # type: ignore[assignment]


class TransitionForm(VersionedForm):
    """交办, 办结, 销号, 退回重办, 上提: a note (required where the service says so) and the version seen."""

    note = notes_field(_l("说明"), max_length=NOTE_MAX)


class ActionForm(FlaskForm):
    """催办, 约谈, 现场办公 or a plain 办理记录: what was done, in a sentence or two."""

    kind = ChoiceField(_l("办理方式"))
    note = required_text(_l("办理情况"), _l("请填写办理情况"), NOTE_MAX)

    def set_kinds(self, kinds: tuple[IssueActionKind, ...]) -> None:
        self.kind.choices = as_choices([(k.value, label(k)) for k in kinds])


class InstructionForm(FlaskForm):
    """领导批示: recorded in the 办理记录 (as a note, or as a 催办 when the leader asks for speed)."""

    note = required_text(_l("批示内容"), _l("请填写批示内容"), NOTE_MAX)
    urge = BooleanField(_l("同时催办（记为“催办”）"))
