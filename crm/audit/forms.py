from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField
from wtforms.validators import Optional

from crm.web.forms import ChoiceField, text_field


class AuditSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a GET search form changes nothing

    q = text_field(_l("关键词"), 60)
    record_type = ChoiceField(_l("记录类型"), coerce=lambda v: v or None)
    date_from = DateField(_l("起始日期"), validators=[Optional()], render_kw={"type": "date"})
    date_to = DateField(_l("截止日期"), validators=[Optional()], render_kw={"type": "date"})
