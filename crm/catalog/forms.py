from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from crm.web.forms import VersionedForm, text_field


class ChainForm(VersionedForm):
    name = text_field(_l("产业链名称"), 40, required=True)
    sort_order = IntegerField(_l("排序"), default=0, validators=[Optional(), NumberRange(min=0, max=9999, message=_l("请输入 0–9999 之间的整数"))])
    is_active = BooleanField(_l("启用"), default=True)
