from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField
from wtforms.validators import NumberRange, Optional

from crm.domain.units import UnitType
from crm.web.forms import LookupField, EnumField, VersionedForm, text_field


class UnitForm(VersionedForm):
    name = text_field(_l("单位名称"), 100, required=True)
    short_name = text_field(_l("简称"), 40)
    type = EnumField(_l("单位类型"), UnitType)
    parent_id = LookupField(_l("上级单位"))
    head_title = text_field(_l("负责人职务"), 60, description=_l("例如：局长、指挥长"))
    sort_order = IntegerField(
        _l("排序"),
        default=0,
        validators=[Optional(), NumberRange(min=0, max=9999, message=_l("请输入 0–9999 之间的整数"))],
    )
    is_active = BooleanField(_l("启用"), default=True)
