from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField
from wtforms.validators import InputRequired

from crm.web.forms import ChoiceField, coerce_int_or_none, text_field


class FollowUpForm(FlaskForm):
    due_on = DateField(_l("跟进日期"), validators=[InputRequired(message=_l("请填写日期"))], render_kw={"type": "date"})
    note = text_field(_l("跟进事项"), 1000, required=True)
    move_off_holiday = BooleanField(_l("遇法定节假日顺延到下一个工作日"), default=True)
    assignee_id = ChoiceField(_l("跟进人"), coerce=coerce_int_or_none)


class DoneForm(FlaskForm):
    note = text_field(_l("跟进结果"), 1000)


class SnoozeForm(FlaskForm):
    due_on = DateField(_l("推迟到"), validators=[InputRequired(message=_l("请填写日期"))], render_kw={"type": "date"})


class ReassignForm(FlaskForm):
    assignee_id = ChoiceField(_l("改派给"), coerce=coerce_int_or_none)
