"""Form pieces shared by every feature: clean text fields and Chinese messages.

Text fields strip surrounding spaces and refuse control characters (pasted
from Word or a messaging app, they break exports and search); lengths are
checked against the column sizes so nothing is cut silently.
"""

from __future__ import annotations

import re
import unicodedata
from enum import StrEnum
from typing import Any, Callable, TypeVar

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from crm.web.ids import bounded_int
from crm.web.labels import choices as labelled_choices
from crm.web.joins import semicolons


T = TypeVar("T")


def has_control_characters(text: str, allow_newlines: bool = False) -> bool:
    allowed = {"\n", "\r", "\t"} if allow_newlines else set()
    return any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") and ch not in allowed for ch in text)


class NoControlCharacters:
    def __init__(self, allow_newlines: bool = False) -> None:
        self.allow_newlines = allow_newlines

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and has_control_characters(field.data, self.allow_newlines):
            raise ValidationError(_l("含有不可见的控制字符，请删除后重新输入"))


class Pattern:
    """A format check that only speaks when the field has a value (Regexp would also flag empty ones)."""

    def __init__(self, regex: str, message: Any) -> None:
        self.regex = re.compile(regex)
        self.message = message

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not self.regex.fullmatch(field.data):
            raise ValidationError(self.message)


EMAIL = Pattern(r"[^@\s]+@[^@\s]+\.[^@\s]+", _l("邮箱格式不正确"))
PHONE = Pattern(r"[0-9+\-() ]{5,30}", _l("电话只能包含数字、空格和 + - ( )"))
PHONES = Pattern(r"[0-9+\-() ,，、;；]{5,120}", _l("电话只能包含数字、空格和 + - ( )，多个号码用逗号分隔"))


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _empty_to_none(value: Any) -> Any:
    return value or None


def text_field(label: Any, max_length: int, required: bool = False, extra: list[Any] | None = None, **kwargs: Any) -> StringField:
    validators: list[Any] = [InputRequired(message=_l("必填项"))] if required else [Optional()]
    validators += [
        Length(max=max_length, message=_l("不能超过 %(max)d 个字符", max=max_length)),
        NoControlCharacters(),
        *(extra or []),
    ]
    filters = [_strip] if required else [_strip, _empty_to_none]
    return StringField(label, validators=validators, filters=filters, **kwargs)


def notes_field(label: Any, max_length: int = 4000, **kwargs: Any) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            Optional(),
            Length(max=max_length, message=_l("不能超过 %(max)d 个字符", max=max_length)),
            NoControlCharacters(allow_newlines=True),
        ],
        filters=[_strip, _empty_to_none],
        **kwargs,
    )


class VersionedForm(FlaskForm):
    """A form that changes a record, carrying the version of the record it was rendered from: ``Form(obj=record)``
    fills it like any field; ``record=`` does it for a form that shows nothing else of the record (a decision, a
    move on the record's page). A posted form keeps the version it was sent with.

    ``check_current`` is the one stale-edit check of every edit view."""

    version = HiddenField()

    def __init__(self, *args: Any, record: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if record is not None and self.version.raw_data is None:  # rendered, not posted
            self.version.data = record.version

    def stale_for(self, obj: Any) -> bool:
        """True when someone else saved the record after this form was rendered."""
        try:
            return int(self.version.data or 0) != obj.version
        except (TypeError, ValueError):
            return True

    def check_current(self, record: Any) -> bool:
        """True when ``record`` is as this form saw it. When someone saved it meanwhile, the form says so and shows what
        changed, keeps what was typed, and takes the current version (saving again then overwrites knowingly)."""
        if not self.stale_for(record):
            return True
        from flask_babel import gettext as _

        self.form_errors.append(
            _("保存失败：该记录已被他人修改（当前版本 %(version)d）。请查看下方当前内容，确认后再次保存。", version=record.version)
        )
        self.stale_differences = stale_differences(self, record)
        self.version.data = record.version
        return False


class ChoiceField(SelectField):
    """A select whose refusal of a value not on the list reads in Chinese.

    A forged option (a unit id from another county, a role that does not
    exist) fails here, next to the field, and nothing is stored.
    """

    # Posted values taken as another option's: an option folded into another (the signed-in chief is "本人", the
    # current 跟进人 is "不变"), still accepted from a page rendered before.
    aliases: dict[str, str] = {}

    def pre_validate(self, form: Any) -> None:
        if self.raw_data and str(self.raw_data[0]) in self.aliases:  # (set after the form read the post)
            self.data = self.coerce(self.aliases[str(self.raw_data[0])])
        values = {str(value) for value, *_ in self.iter_choices()}
        current = "" if self.data is None else str(self.data)
        if current not in values:
            raise ValidationError(_l("请从列表中选择"))


class EnumField(ChoiceField):
    """A pick of one member of ``enum`` whose ``.data`` is the member: ``Form(obj=record)`` shows the record's member
    chosen, and the services are handed a member. ``blank`` labels an empty first option (its data: None). What is
    posted and names no member offered is refused next to the field, as ``ChoiceField`` refuses a forged option."""

    def __init__(self, label: Any, enum: type[StrEnum], validators: Any = None, *, blank: Any = None, **kwargs: Any) -> None:
        self.enum = enum
        if "choices" not in kwargs:
            kwargs["choices"] = as_choices(([("", blank)] if blank is not None else []) + labelled_choices(enum))
        super().__init__(label, validators, coerce=self._member, **kwargs)

    def _member(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return self.enum(value)
        except ValueError:
            return value  # not a member: kept as posted, so that pre_validate refuses it


# A choice of people or units whose options the page holds (a county's few leaders or units): searchable as the
# user types, in the browser (crm/static/pickers.js). Longer lists are ``LookupField``s, which ask the server.
SEARCHABLE = {"data-picker": ""}


class LookupField(ChoiceField):
    """A pick among many people, units or leads that asks the server as the user types (``crm/static/pickers.js``),
    instead of holding every option: the page holds only the prompt and the chosen one. ``names`` is the one
    rule of what may be chosen: it names the ids it allows, and the server's search offers only those. The
    chosen option is named when the field is rendered or checked, so the value may be set after ``set_lookup``."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, coerce=coerce_int_or_none, choices=[], **kwargs)
        self._names: Callable[[list[int]], dict[int, str]] | None = None
        self._prompt: Any = ""

    def set_lookup(self, url: str, names: Callable[[list[int]], dict[int, str]], prompt: Any) -> None:
        self._names, self._prompt = names, prompt
        self.render_kw = {**(self.render_kw or {}), "data-picker": "", "data-picker-url": url, "data-picker-none": _l("没有找到"),
                          "data-picker-clear": _l("清除")}

    def _chosen_ids(self) -> list[int]:
        return [self.data] if isinstance(self.data, int) and self.data > 0 else []

    def _name_choices(self) -> None:
        if self._names is not None:
            ids = self._chosen_ids()
            self.choices = as_choices([("", self._prompt)] + (list(self._names(ids).items()) if ids else []))

    def iter_choices(self) -> Any:
        self._name_choices()
        return super().iter_choices()

    def pre_validate(self, form: Any) -> None:
        self._name_choices()
        super().pre_validate(form)


class LookupMultiField(SelectMultipleField):
    """``LookupField`` for several picks (the leads a visit was about)."""

    def __init__(self, label: Any = None, validators: Any = None, **kwargs: Any) -> None:
        super().__init__(label, validators, coerce=coerce_int, choices=[], **kwargs)
        self._names: Callable[[list[int]], dict[int, str]] | None = None

    def set_lookup(self, url: str, names: Callable[[list[int]], dict[int, str]], prompt: Any) -> None:
        self._names = names
        self.render_kw = {**(self.render_kw or {}), "data-picker": "", "data-picker-url": url, "placeholder": prompt,
                          "data-picker-none": _l("没有找到")}

    def _name_choices(self) -> None:
        if self._names is not None:
            ids = [v for v in self.data or [] if isinstance(v, int) and v > 0]
            self.choices = as_choices(list(self._names(ids).items()) if ids else [])

    def iter_choices(self) -> Any:
        self._name_choices()
        return super().iter_choices()

    def pre_validate(self, form: Any) -> None:
        self._name_choices()
        offered = {value for value, *_ in super().iter_choices()}
        if any(value not in offered for value in self.data or []):
            raise ValidationError(_l("请从列表中选择"))


def as_choices(pairs: Any) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3 expects."""
    return [SelectChoice(value, label) for value, label in pairs]


def coerce_int_or_none(value: Any) -> int | None:
    if value in (None, "", "None"):
        return None
    try:
        return bounded_int(value)
    except (TypeError, ValueError):
        return -1  # never a valid choice (nor a number past the database's ids): pre_validate refuses it


def coerce_int(value: Any) -> int:
    """``coerce_int_or_none`` for a field whose every value is a number."""
    number = coerce_int_or_none(value)
    return -1 if number is None else number


def _find_field(form: Any, path: str) -> Any:
    """A field by name, or inside a list of sub-forms by "stops.0.company_name"."""
    node = form
    for part in path.split("."):
        if part.isdigit():
            entries = getattr(node, "entries", [])
            node = entries[int(part)] if int(part) < len(entries) else None
        else:
            node = getattr(node, part, None)  # a FormField passes attribute reads to its sub-form
        if node is None:
            return None
    return node


def show_error(form: Any, field_name: str, message: str) -> None:
    """Put a service's refusal next to the field it concerns (or on the form)."""
    field = _find_field(form, field_name)
    if field is None or not hasattr(field, "errors"):
        form.form_errors.append(message)
        return
    field.errors = list(field.errors) + [message]


def stale_differences(form: Any, obj: Any) -> list[tuple[Any, Any]]:
    """(field label, saved value) for every field where the saved record differs from what was typed."""
    from crm.audit.services import to_text

    differences = []
    for field in form:
        if field.type in ("HiddenField", "CSRFTokenField", "PasswordField") or not hasattr(obj, field.name):
            continue
        saved = getattr(obj, field.name)
        if (to_text(saved) or "") != (to_text(field.data) or ""):
            differences.append((field.label.text, saved))
    return differences


def attempt(form: Any, change: Callable[[], T]) -> tuple[bool, T | None]:
    """Run a service change; a refusal (FieldError) goes next to its field.

    Returns (True, result) when the change went through, (False, None) when it
    was refused; the view then re-renders the form with what was typed.
    """
    from crm.errors import FieldError

    try:
        return True, change()
    except FieldError as error:
        show_error(form, error.field, error.message)
        return False, None


def saved(form: Any, record: Any, change: Callable[[], Any]) -> bool:
    """An edit of ``record``: refuse it when stale (showing the other change), else run ``change``.

    True when the change went through; the view then commits and redirects.
    """
    return form.check_current(record) and attempt(form, change)[0]


def saved_setting(form: Any, row: Any, change: Callable[[], Any]) -> bool:
    """A county setting saved from its page: an edit of its stored ``row`` (refused when stale, as ``saved``), or
    its first save when none is stored yet (nothing to be stale against)."""
    return saved(form, row, change) if row is not None else attempt(form, change)[0]


def errors_text(form: Any) -> str:
    """All of a form's errors in one line, for actions whose form is a button on another page."""
    return semicolons(str(error) for errors in form.errors.values() for error in errors)
