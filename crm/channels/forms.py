from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from crm.domain.channels import ChannelKind
from crm.web.forms import EnumField, LookupField, NoControlCharacters, text_field


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


class ChannelForm(FlaskForm):
    """A robot for a unit. What was typed stays on an error, except the secret (never sent back to the browser)."""

    unit_id = LookupField(_l("单位"), validators=[InputRequired(message=_l("请选择单位"))])
    kind = EnumField(_l("类型"), ChannelKind)
    name = text_field(_l("群名称"), 60, description=_l("便于识别，例如：第一分局工作群"))
    webhook_url = StringField(
        _l("Webhook 地址"),
        validators=[InputRequired(message=_l("必填项")), Length(max=500, message=_l("不能超过 %(max)d 个字符", max=500)), NoControlCharacters()],
        filters=[_strip],
        description=_l("在群聊的群机器人设置中复制。企业微信：https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…；"
                       "钉钉：https://oapi.dingtalk.com/robot/send?access_token=…"),
    )
    # Never rendered back (a PasswordField is empty on every render): the secret is typed once.
    secret = PasswordField(
        _l("加签密钥（钉钉）"),
        validators=[Optional(), Length(max=200, message=_l("不能超过 %(max)d 个字符", max=200))],
        filters=[_strip],
        description=_l("钉钉机器人安全设置选择“加签”时填写（SEC 开头）；企业微信留空"),
    )

    def validate_webhook_url(self, field: StringField) -> None:
        from crm.channels.services import check_url

        if self.kind.data is not None and field.data and (message := check_url(self.kind.data, field.data)):
            raise ValidationError(message)

    def validate_secret(self, field: PasswordField) -> None:
        from crm.channels.services import check_secret

        if self.kind.data is not None and (message := check_secret(self.kind.data, field.data)):
            raise ValidationError(message)
