from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, FieldList, Form, FormField, SelectMultipleField
from wtforms.validators import InputRequired, Optional, ValidationError

from crm.domain.visits import LeaderKind, VisitOutcome, VisitType
from crm.web.forms import ChoiceField, EnumField, LookupMultiField, SEARCHABLE, VersionedForm, as_choices, coerce_int_or_none, notes_field, text_field
from crm.companies.picker import COMPANY_PICKER

STOPS = 3  # rows shown; more can be added on the page


class StopForm(Form):
    """One company visited; a sub-form (its CSRF is the parent's)."""

    company_name = text_field(_l("拜访企业"), 200, render_kw=COMPANY_PICKER)
    create_company = BooleanField(_l("企业库中没有时新建"))
    contact_name = text_field(_l("接洽人"), 60)
    contact_title = text_field(_l("接洽人职务"), 60)


class MultiChoice(SelectMultipleField):
    """Checkboxes of ids; anything not offered is refused with a Chinese message."""

    def pre_validate(self, form: Any) -> None:
        offered = {str(value) for value, *_ in self.iter_choices()}
        if any(str(value) not in offered for value in self.data or []):
            raise ValidationError(_l("请从列表中选择"))


class VisitForm(VersionedForm):
    type = EnumField(_l("走访类型"), VisitType)
    start_on = DateField(_l("开始日期"), validators=[InputRequired(message=_l("请填写日期"))], render_kw={"type": "date"})
    end_on = DateField(_l("结束日期"), validators=[Optional()], render_kw={"type": "date"})
    destination = text_field(_l("目的地"), 120)
    leader_id = ChoiceField(_l("带队领导"), coerce=coerce_int_or_none, render_kw=SEARCHABLE)
    leader_kind = EnumField(_l("招商领导类型"), LeaderKind, blank="—")
    participant_ids = MultiChoice(_l("参加人员"), coerce=int)
    stops = FieldList(FormField(StopForm), min_entries=STOPS, max_entries=20)
    lead_ids = LookupMultiField(_l("关联线索"))
    outcome = EnumField(_l("成果"), VisitOutcome)
    notes = notes_field(_l("纪要"), 4000)
    next_follow_up_on = DateField(_l("下次跟进日期"), validators=[Optional()], render_kw={"type": "date"})

    def set_options(self, leaders: list[tuple[int, str]], members: list[tuple[int, str]], unit_id: int) -> None:
        from crm.leads.views import set_lead_lookup

        self.leader_id.choices = as_choices([("", "—")] + leaders)
        self.participant_ids.choices = as_choices(members)
        set_lead_lookup(self.lead_ids, unit_id)

    def validate_end_on(self, field: Any) -> None:
        if field.data and self.start_on.data and field.data < self.start_on.data:
            raise ValidationError(_l("结束日期不能早于开始日期"))
