"""What a 履约 check says, in words: the promise, the actual figure and how it was found, and the outcome. One
place for the list, the project card, the export and the digest."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.compliance import Actuals, Check, CheckKind, ComplianceStatus, Outcome
from crm.web.money import number, wan_text

KIND_LABELS: dict[CheckKind, Any] = {
    CheckKind.START: _l("约定开工"),
    CheckKind.PRODUCTION: _l("约定投产"),
    CheckKind.INTENSITY: _l("投资强度"),
    CheckKind.TAX: _l("亩均税收"),
    CheckKind.JOBS: _l("用工"),
}
OUTCOME_LABELS: dict[Outcome, Any] = {
    Outcome.MET: _l("已达到"),
    Outcome.SHORT: _l("未达到"),
    Outcome.NOT_DUE: _l("未到考核时间"),
    Outcome.NO_DATA: _l("无实际数据"),
    Outcome.NOT_PROMISED: _l("合同未约定"),
}
OUTCOME_TONES = {Outcome.MET: "success", Outcome.SHORT: "danger", Outcome.NOT_DUE: "secondary", Outcome.NO_DATA: "warning",
                 Outcome.NOT_PROMISED: "light"}
STATUS_TONES = {ComplianceStatus.ON_SCHEDULE: "success"}


def status_tone(status: ComplianceStatus) -> str:
    return STATUS_TONES.get(status, "danger")


@dataclass(frozen=True)
class Line:
    kind: CheckKind
    label: str
    promised: str
    actual: str
    outcome: Outcome
    outcome_label: str
    tone: str
    reason: str  # one sentence: the promise, what happened, the figures


def _per_mu(value: Any, unit: str) -> str:
    return f"{number(value)} {unit}"


def line(check: Check, actuals: Actuals) -> Line:
    k, o = check.kind, check.outcome
    label = str(KIND_LABELS[k])
    if o is Outcome.NOT_PROMISED:
        return Line(k, label, "—", "—", o, str(OUTCOME_LABELS[o]), OUTCOME_TONES[o], _("合同未约定%(what)s", what=label))
    if k in (CheckKind.START, CheckKind.PRODUCTION):
        promised = check.promised.isoformat()  # type: ignore[union-attr]
        done = _("已开工") if k is CheckKind.START else _("已投产")
        not_yet = _("未开工") if k is CheckKind.START else _("未投产")
        start = k is CheckKind.START
        if o is Outcome.MET:
            actual = f"{done}（{check.actual}）" if check.actual else done
            reason = (_("约定 %(day)s 开工，%(actual)s", day=promised, actual=actual) if start
                      else _("约定 %(day)s 投产，%(actual)s", day=promised, actual=actual))
        elif o is Outcome.SHORT:
            actual = not_yet
            n = check.overdue_days or 0
            reason = (_("约定 %(day)s 开工，至今未开工（逾期 %(n)d 天）", day=promised, n=n) if start
                      else _("约定 %(day)s 投产，至今未投产（逾期 %(n)d 天）", day=promised, n=n))
        else:
            actual = not_yet
            reason = _("约定 %(day)s 开工，尚未到期", day=promised) if start else _("约定 %(day)s 投产，尚未到期", day=promised)
        return Line(k, label, promised, actual, o, str(OUTCOME_LABELS[o]), OUTCOME_TONES[o], reason)
    if k is CheckKind.INTENSITY:
        unit = _("万元/亩")
        promised = _per_mu(check.promised, unit)
        how = _("到位资金 %(funds)s ÷ 用地 %(mu)s 亩", funds=wan_text(actuals.funds_arrived), mu=number(actuals.land_mu)) \
            if actuals.funds_arrived is not None and actuals.land_mu else _("缺到位资金或用地面积")
    elif k is CheckKind.TAX:
        unit = _("万元/亩/年")
        promised = _per_mu(check.promised, unit)
        how = _("月税收 %(tax)s × 12 ÷ 用地 %(mu)s 亩", tax=wan_text(actuals.monthly_tax), mu=number(actuals.land_mu)) \
            if actuals.monthly_tax is not None and actuals.land_mu else _("缺月税收或用地面积")
    else:
        unit = _("人")
        promised = f"{check.promised} {unit}"
        how = _("项目填报的用工人数") if actuals.employees is not None else _("项目未填报用工人数")
    if check.actual is None:
        actual = str(OUTCOME_LABELS[Outcome.NO_DATA])
    else:
        actual = f"{check.actual} {unit}" if k is CheckKind.JOBS else _per_mu(check.actual, unit)
    due = _("考核时间 %(day)s 之后", day=check.due_on.isoformat()) if check.due_on else _("投产后考核")
    if o is Outcome.NOT_DUE:
        reason = _("承诺 %(promised)s，%(due)s；目前 %(actual)s（%(how)s）", promised=promised, due=due, actual=actual, how=how)
    elif o is Outcome.NO_DATA:
        reason = _("承诺 %(promised)s，已到考核时间，无实际数据（%(how)s）", promised=promised, how=how)
    else:
        reason = _("承诺 %(promised)s，实际 %(actual)s（%(how)s）", promised=promised, actual=actual, how=how)
    return Line(k, label, promised, actual, o, str(OUTCOME_LABELS[o]), OUTCOME_TONES[o], reason)


def lines(checks: tuple[Check, ...], actuals: Actuals) -> list[Line]:
    return [line(c, actuals) for c in checks]


def reasons(checks: tuple[Check, ...], actuals: Actuals) -> str:
    """The failed checks' reasons in one line (the list, the export, the digest); "" when none failed."""
    return "；".join(line(c, actuals).reason for c in checks if c.outcome is Outcome.SHORT)
