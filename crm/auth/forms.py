from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField
from wtforms.validators import EqualTo, InputRequired, Length

from crm.web.forms import ChoiceField, as_choices, text_field


class LoginForm(FlaskForm):
    username = text_field(_l("用户名"), 40, required=True, render_kw={"autocomplete": "username", "autofocus": True})
    password = PasswordField(
        _l("密码"),
        validators=[InputRequired(message=_l("必填项")), Length(max=200, message=_l("密码过长"))],
        render_kw={"autocomplete": "current-password"},
    )
    next = HiddenField()


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("当前密码"),
        validators=[InputRequired(message=_l("必填项")), Length(max=200)],
        render_kw={"autocomplete": "current-password"},
    )
    new_password = PasswordField(
        _l("新密码"),
        validators=[InputRequired(message=_l("必填项")), Length(max=200, message=_l("密码过长"))],
        render_kw={"autocomplete": "new-password"},
    )
    confirm = PasswordField(
        _l("再次输入新密码"),
        validators=[InputRequired(message=_l("必填项")), EqualTo("new_password", message=_l("两次输入的密码不一致"))],
        render_kw={"autocomplete": "new-password"},
    )


class PreferencesForm(FlaskForm):
    locale = ChoiceField(_l("界面语言"), choices=as_choices([("zh", "中文"), ("en", "English")]))


class EmailPreferencesForm(FlaskForm):
    """Which emails the user gets: the weekly digest (on unless opted out), the daily alerts (off unless chosen)."""

    digest_email = BooleanField(_l("接收每周摘要邮件"))
    alert_email = BooleanField(_l("每日提醒同时发送邮件（站内通知始终提供）"))
