from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length, Optional, Regexp

from crm.domain.access import Role
from crm.domain.units import LeaderTitle
from crm.web.forms import EMAIL, PHONE, LookupField, EnumField, VersionedForm, text_field

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{2,39}$"


def _password_field(label):  # type: ignore[no-untyped-def]
    return PasswordField(
        label,
        validators=[InputRequired(message=_l("必填项")), Length(max=200, message=_l("密码过长"))],
        render_kw={"autocomplete": "new-password"},
    )


class UserFields(VersionedForm):
    display_name = text_field(_l("姓名"), 60, required=True)
    role = EnumField(_l("角色"), Role)
    unit_id = LookupField(_l("所属单位"), description=_l("输入单位名称查找"))
    title = EnumField(_l("职务（县级领导）"), LeaderTitle, blank="—")
    title_note = text_field(_l("分管领域"), 60, description=_l("例如：分管工业"))
    email = text_field(_l("电子邮箱"), 120, extra=[EMAIL])
    phone = text_field(_l("电话"), 30, extra=[PHONE])
    is_active = BooleanField(_l("启用"), default=True)

    def set_choices(self) -> None:
        from crm.units.views import set_unit_lookup

        set_unit_lookup(self.unit_id, "manage", _l("—请输入单位名称查找—"))


class UserCreateForm(UserFields):
    username = text_field(
        _l("用户名"),
        40,
        required=True,
        description=_l("3–40 位字母、数字或 . _ -，用于登录"),
    )
    password = _password_field(_l("初始密码"))

    def validate_username(self, field):  # type: ignore[no-untyped-def]
        Regexp(USERNAME_PATTERN, message=_l("用户名须为 3–40 位字母、数字或 . _ -，以字母或数字开头"))(self, field)


class UserEditForm(UserFields):
    pass


class ResetPasswordForm(FlaskForm):
    new_password = _password_field(_l("新密码"))
    confirm = PasswordField(
        _l("再次输入"),
        validators=[Optional(), EqualTo("new_password", message=_l("两次输入的密码不一致"))],
        render_kw={"autocomplete": "new-password"},
    )
