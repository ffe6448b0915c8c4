"""The 红黄绿 reasons in words. The rule (crm.domain.projects.rag) gives a cause and its numbers; the words and their
plurals are chosen here, in the reader's language, for pages, exports, emails and alerts alike."""

from __future__ import annotations

from typing import Iterable

from flask_babel import gettext as _
from flask_babel import ngettext

from crm.domain.projects import RagCause, RagReason
from crm.web.joins import semicolons


def reason_text(reason: RagReason) -> str:
    match reason.cause:
        case RagCause.START_PASSED:
            return _("计划开工日期已过仍未开工")
        case RagCause.MILESTONES_OVERDUE:
            return ngettext("%(num)d 个节点逾期", "%(num)d 个节点逾期", reason.count)
        case RagCause.ISSUES_OVERDUE:
            return ngettext("%(num)d 个问题逾期未办结", "%(num)d 个问题逾期未办结", reason.count)
        case RagCause.PROCEDURES_OVERDUE:
            return ngettext("%(num)d 项审批手续超过承诺时限", "%(num)d 项审批手续超过承诺时限", reason.count)
        case RagCause.STALE:
            return ngettext("%(num)d 天以上未更新进度", "%(num)d 天以上未更新进度", reason.count)
        case RagCause.MILESTONE_DUE:
            return _("节点将于 %(day)s 到期", day=reason.due.isoformat() if reason.due else "")
    raise ValueError(reason.cause)


def reasons_text(reasons: Iterable[RagReason]) -> str:
    """All the reasons in one line, most serious first ("计划开工日期已过仍未开工；2 个节点逾期")."""
    return semicolons(reason_text(reason) for reason in reasons)
