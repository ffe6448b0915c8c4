"""准入评审 forms: the county's 评审表, a 初审, a 会审."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, FieldList, SelectMultipleField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from crm.domain.admission import MAX_POINTS, Outcome, SheetError, parse_criteria
from crm.web.fields import PER_MU_MESSAGES, AmountField, DayField, range_messages
from crm.web.forms import ChoiceField, EnumField, VersionedForm, as_choices, notes_field

MAX_PER_MU = Decimal(100_000)
PICK_OUTCOME = _l("请选择")


def sheet_error_text(error: SheetError) -> str:
    """A 评审表 refusal in words, naming the line (gettext: it quotes what was typed)."""
    where = gettext("第 %(n)d 行", n=error.line) if error.line else ""
    texts = {
        "line": gettext("%(where)s格式不对：应写成“名称|满分”或“名称|满分|投资强度|300”", where=where),
        "points": gettext("%(where)s满分应为大于 0 的数字", where=where),
        "threshold": gettext("%(where)s门槛应写成“投资强度|300”或“亩均税收|30”", where=where),
        "name": gettext("%(where)s缺少指标名称", where=where),
        "duplicate": gettext("%(where)s指标“%(name)s”重复", where=where, name=error.text),
        "no_criteria": gettext("至少需要一项评审指标"),
        "too_many": gettext("评审指标不能超过 20 项"),
    }
    return texts.get(error.code, gettext("评审表有误，请检查"))


class SheetForm(VersionedForm):
    criteria = notes_field(_l("评审指标"), 4000, description=_l("每行一项：名称|满分，有门槛的写成 名称|满分|投资强度|300 或 名称|满分|亩均税收|30"))
    vetoes = notes_field(_l("一票否决项"), 2000, description=_l("每行一项；会审勾选其中任何一项即为不通过"))
    pass_score = AmountField(_l("通过分"), maximum=MAX_POINTS, messages=range_messages(_l("分数应在 0 到 1000 之间")))
    conditional_score = AmountField(_l("有条件通过分"), maximum=MAX_POINTS, messages=range_messages(_l("分数应在 0 到 1000 之间")),
                                    description=_l("总分达到通过分且各项门槛达标为“通过”；达到有条件通过分为“有条件通过”；否则“不通过”"))
    gate = BooleanField(_l("签约前须经准入评审"), description=_l("勾选后，项目申报“签约”须有会审“通过”或“有条件通过”的准入评审"))

    def validate_criteria(self, field: Any) -> None:
        try:
            criteria = parse_criteria(field.data or "")
        except SheetError as error:
            raise ValidationError(sheet_error_text(error)) from None
        if not criteria:
            raise ValidationError(gettext("至少需要一项评审指标"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name in ("pass_score", "conditional_score"):
            if self[name].data is None and not self[name].errors:
                self[name].errors = [*self[name].errors, _l("必填项")]
                ok = False
        return ok


PRELIM_CHOICES = [("1", _l("初审通过，提交会审")), ("0", _l("初审不通过"))]


class PrelimForm(VersionedForm):
    prelim_on = DayField(_l("初审日期"), required=True)
    passed = ChoiceField(_l("初审结论"), choices=as_choices(PRELIM_CHOICES), default="1")
    opinion = notes_field(_l("初审意见"), 4000)
    investment_intensity = AmountField(_l("投资强度（万元/亩）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES,
                                       description=_l("留空则取项目协议中的投资强度"))
    tax_per_mu = AmountField(_l("亩均税收（万元/亩/年）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES,
                             description=_l("留空则取项目协议中的亩均税收"))

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not self.opinion.data and not self.opinion.errors:
            self.opinion.errors = [*self.opinion.errors, _l("请填写初审意见")]
            ok = False
        return ok


class ScoreField(AmountField):
    def __init__(self, label: Any = None, **kwargs: Any) -> None:
        super().__init__(label or _l("得分"), maximum=MAX_POINTS, messages=range_messages(_l("得分不能为负数")), **kwargs)


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()

    def pre_validate(self, form: Any) -> None:
        values = {str(v) for v, *_ in self.iter_choices()}
        if any(str(d) not in values for d in self.data or []):
            raise ValidationError(_l("请从列表中选择"))


class JointForm(VersionedForm):
    joint_on = DayField(_l("会审日期"), required=True)
    participants = notes_field(_l("参会人员"), 2000, description=_l("参会单位及人员，例如：县发改委 王主任、县自然资源局 李局长"))
    minutes = notes_field(_l("会议纪要"), 8000)
    scores = FieldList(ScoreField(), min_entries=0)
    vetoes_hit = CheckboxesField(_l("一票否决项"), choices=[])
    investment_intensity = AmountField(_l("投资强度（万元/亩）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES,
                                       description=_l("留空则沿用初审时的数据"))
    tax_per_mu = AmountField(_l("亩均税收（万元/亩/年）"), maximum=MAX_PER_MU, messages=PER_MU_MESSAGES,
                             description=_l("留空则沿用初审时的数据"))
    outcome = EnumField(_l("评审结论"), Outcome, blank=PICK_OUTCOME)
    conditions = notes_field(_l("所附条件"), 4000, description=_l("有条件通过时必填，例如：签约前须明确投资强度不低于 300 万元/亩"))

    def set_sheet(self, names: list[str], vetoes: list[str]) -> None:
        while len(self.scores.entries) < len(names):
            self.scores.append_entry()
        for entry, name in zip(self.scores.entries, names):
            entry.label.text = name
        self.vetoes_hit.choices = [(v, v) for v in vetoes]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for name, message in (("participants", _l("请填写参会人员")), ("minutes", _l("请填写会议纪要")), ("outcome", _l("请选择评审结论"))):
            if self[name].data in (None, "") and not self[name].errors:
                self[name].errors = [*self[name].errors, message]
                ok = False
        for entry in self.scores.entries:
            if entry.data is None and not entry.errors:
                entry.errors = [*entry.errors, _l("请打分")]
                ok = False
        if self.outcome.data is Outcome.CONDITIONAL and not self.conditions.data and not self.conditions.errors:
            self.conditions.errors = [*self.conditions.errors, _l("有条件通过须写明所附条件")]
            ok = False
        return ok
