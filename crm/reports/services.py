"""Publishing a month's 月报 or 月评比, and saving the county's settings. Services flush; the view commits.

A published report is frozen: the figures are copied into ``ReportSnapshot.data`` and never
recomputed; publishing the same month twice is refused.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from crm.domain.kpi import period_of
from crm.domain.reports import CountingRules, FlagSettings, Problem, Scorecard, SettingsError
from crm.errors import FieldError
from crm.extensions import db
from crm.reports.models import ReportSettings, ReportSnapshot
from crm.reports.scope import ReportScope
from crm.reports.settings import COUNTING, FLAGS, SCORECARD, settings_rows

PROBLEM_MESSAGES = {
    Problem.NOT_A_NUMBER: _l("请输入数字"),
    Problem.NEGATIVE: _l("不能为负数"),
    Problem.TOO_LARGE: _l("数值过大，请核对"),
    Problem.OUT_OF_RANGE: _l("超出允许范围"),
    Problem.UNKNOWN_CODE: _l("请从列表中选择"),
    Problem.WEIGHTS_NOT_100: _l("签约、开工、资金、基础工作、问题办结五项分值之和须为 100 分"),
}
PARSERS: dict[str, Any] = {COUNTING: CountingRules, SCORECARD: Scorecard, FLAGS: FlagSettings}


class ReportError(FieldError):
    pass


def problems_of(key: str, value: dict[str, Any]) -> list[tuple[str, str]]:
    """The domain's objections to a settings value, as (field, message)."""
    try:
        PARSERS[key].from_json(value)
    except SettingsError as error:
        return [(f, str(PROBLEM_MESSAGES.get(Problem(p), p))) for f, p in error.problems]
    return []


def save_settings(scope: ReportScope, values: dict[str, dict[str, Any]]) -> None:
    """Store the county's settings (validated by the domain, stored normalised)."""
    rows = settings_rows(scope.county_id)
    for key, value in values.items():
        try:
            normalised = PARSERS[key].from_json(value).to_json()
        except SettingsError as error:
            field, problem = error.problems[0]
            raise ReportError(field, str(PROBLEM_MESSAGES.get(Problem(problem), problem))) from None
        row = rows.get(key)
        if row is None:
            db.session.add(ReportSettings(unit_id=scope.county_id, key=key, value=normalised))
        elif row.value != normalised:
            row.value = normalised
    db.session.flush()


def publish(scope: ReportScope, user_id: int | None, kind: str, period: str, data: dict[str, Any], today: date) -> ReportSnapshot:
    """Freeze a month's report. Refused for a month not begun yet, and when already published."""
    from crm.reports.monthly import published

    if period > period_of(today):
        raise ReportError("period", _("该月份尚未开始，不能发布"))
    if published(scope, kind, period) is not None:
        raise ReportError("period", _("%(period)s 已发布，发布后的数据不再改动", period=period))
    snapshot = ReportSnapshot(kind=kind, unit_id=scope.root_id, period=period, data=data, published_by_id=user_id)
    db.session.add(snapshot)
    db.session.flush()
    return snapshot
