from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectMultipleField
from wtforms.validators import InputRequired, Optional, ValidationError

from crm.web.forms import ChoiceField, LookupField, coerce_int, coerce_int_or_none, text_field


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


class TeamFilterForm(FlaskForm):
    """团队待办's filters (a GET form: it changes nothing)."""

    class Meta:
        csrf = False

    assignee = ChoiceField(_l("跟进人"), coerce=coerce_int_or_none)
    state = ChoiceField(_l("状态"), default="open")
    due_from = DateField(_l("截止日期从"), validators=[Optional()], render_kw={"type": "date"})
    due_to = DateField(_l("截止日期到"), validators=[Optional()], render_kw={"type": "date"})

    def validate_due_to(self, field: DateField) -> None:
        if field.data and self.due_from.data and field.data < self.due_from.data:
            raise ValidationError(_l("结束日期不能早于开始日期"))


class BulkReassignForm(FlaskForm):
    """Hand the ticked tasks of 团队待办 to one person of the unit."""

    task_ids = SelectMultipleField(_l("任务"), coerce=coerce_int, validate_choice=False,
                                   validators=[InputRequired(message=_l("请先勾选要改派的任务"))])
    assignee_id = ChoiceField(_l("改派给"), coerce=coerce_int_or_none,
                              validators=[InputRequired(message=_l("请选择改派给谁"))])


class NewFollowUpForm(FollowUpForm):
    """新增跟进 from the 工作台: the lead it is about is picked here (on a lead's page it is that lead)."""

    lead_id = LookupField(_l("线索"), validators=[InputRequired(message=_l("请选择线索"))])
