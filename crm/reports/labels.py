"""Labels and number formats of the reports (translated; the domain keeps codes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.reports import Basis, CountingRules, Flag, Item, Phase, ScoreLine, ScoreMethod, SettingsError, Verdict
from crm.web.labels import label_text
from crm.web.money import number as money, percent, points, wan_text  # noqa: F401 (the report code's names for them)

FLAG_LABELS = {
    Flag.SHADOW: _l("影子项目"),
    Flag.EMPTY_NEST: _l("空巢项目"),
    Flag.LATE_START: _l("逾期未开工"),
}
FLAG_HELP = {
    Flag.SHADOW: _l("已签约，签约后 %(n)d 个月仍未开工"),
    Flag.EMPTY_NEST: _l("主体已封顶 %(n)d 个月以上，仍未投产"),
    Flag.LATE_START: _l("已过计划（约定）开工日期，仍未开工"),
}
PHASE_LABELS = {
    Phase.ACTIVE: _l("履约"),
    Phase.STARTED: _l("开工（含投产）"),
    Phase.PRODUCING: _l("投产"),
    Phase.LANDED: _l("落地（注册/供地）"),
}
ITEM_LABELS = {
    Item.SIGNED_COUNT: _l("签约个数"),
    Item.SIGNED_AMOUNT: _l("签约金额"),
    Item.NEW_STARTS: _l("新开工"),
    Item.START_RATE: _l("开工率"),
    Item.FUNDS: _l("到位资金完成率"),
    Item.OUT_OF_PROVINCE: _l("省外资金完成率"),
    Item.BASICS: _l("基础工作（报表按时）"),
    Item.ISSUES: _l("问题办结"),
    Item.BONUS_TOP_COMPANY: _l("加分：500强/央企/龙头亿元以上项目"),
    Item.BONUS_TEN_YI: _l("加分：10亿元以上项目"),
}
METHOD_LABELS = {ScoreMethod.TARGET: _l("按序时目标计分"), ScoreMethod.EFFICACY: _l("功效系数法")}
VERDICT_LABELS = {Verdict.PRAISE: _l("通报表扬"), Verdict.CRITICISE: _l("通报批评"), Verdict.SUMMON: _l("约谈"), Verdict.ACCOUNT: _l("问责")}
YI_LABELS = {1: _l("亿元以上"), 10: _l("10亿元以上"), 50: _l("50亿元以上"), 100: _l("百亿级")}
MONEY_ITEMS = {Item.SIGNED_AMOUNT, Item.FUNDS, Item.OUT_OF_PROVINCE}

def _amount(item: Item, value: Decimal | None) -> str:
    if value is None:
        return "—"
    if item in MONEY_ITEMS:
        return wan_text(value)
    return points(value).rstrip("0").rstrip(".") if item is not Item.START_RATE else percent(value)


def explain(line: ScoreLine) -> str:
    """One scorecard line in words: the figure, what it was compared with, and the rule."""
    a = _amount(line.item, line.actual)
    if line.basis is Basis.TARGET:
        return _("完成 %(a)s，序时目标 %(t)s，得分 = %(max)s × 完成比例（最高 100%%）",
                 a=a, t=_amount(line.item, line.reference), max=points(line.max_points))
    if line.basis is Basis.RELATIVE:
        return _("完成 %(a)s；未下达目标，与最高单位 %(best)s 相比计分（%(max)s × 本单位 ÷ 最高）",
                 a=a, best=_amount(line.item, line.reference), max=points(line.max_points))
    if line.basis is Basis.EFFICACY:
        return _("完成 %(a)s；功效系数法：%(max)s × (60%% + 40%% × (本单位 − 最低 %(low)s) ÷ (最高 %(high)s − 最低))",
                 a=a, max=points(line.max_points), low=_amount(line.item, line.low), high=_amount(line.item, line.reference))
    if line.basis is Basis.RATE:
        return _("近 12 个月签约项目开工率 %(rate)s，得分 = %(max)s × 开工率", rate=percent(line.actual), max=points(line.max_points))
    if line.basis is Basis.PENALTY:
        lost = points((line.max_points or 0) - line.points)
        if line.item is Item.BASICS:
            return _("本月报表迟报或未报 %(n)d 次，扣 %(lost)s 分", n=line.count, lost=lost)
        return _("本月逾期未办结问题 %(n)d 个，扣 %(lost)s 分", n=line.count, lost=lost)
    return _("本月签约：%(names)s", names="、".join(line.names))


def rules_note(rules: dict[str, Any]) -> str:
    """The 统计口径 a report was counted by, in words (pages and workbooks print it under their tables)."""
    try:
        r = CountingRules.from_json(rules)
    except SettingsError:
        r = CountingRules()
    text = _("统计口径：只计审核通过的阶段申报，每个项目每个阶段只计首次；总投资 %(t)s 万元以上", t=money(r.threshold, 0))
    if r.industrial_threshold is not None:
        text += _("（工业项目 %(t)s 万元以上）", t=money(r.industrial_threshold, 0))
    if r.excluded_categories:
        text += _("；不计：%(c)s", c="、".join(label_text(c) for c in sorted(r.excluded_categories)))
    if r.excluded_sources:
        text += _("；不计资金来源地：%(s)s", s="、".join(label_text(s) for s in sorted(r.excluded_sources)))
    return text
