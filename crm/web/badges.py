"""The colour of every state the product shows as a badge, in one table.

"审核中" was ``info`` on the project page and ``warning`` in the review queue; a state now has one tone wherever it
appears. ``templates/_macros/badges.html`` draws the badge; the ``tone`` filter reads this table.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from crm.domain.agreements import AgreementStatus
from crm.domain.issues import IssueStatus
from crm.domain.leads import LeadStatus
from crm.domain.projects import MilestoneStatus, Rag, ReviewStatus
from crm.domain.reports import Verdict
from crm.domain.schedule import SubmissionState

# Bootstrap's contextual colours: danger = needs action now, warning = waiting or at risk, success = done or good,
# primary = under way, info = neutral news, secondary = nothing to do (not yet, or over).
TONES: dict[Enum, str] = {
    ReviewStatus.DRAFT: "secondary",
    ReviewStatus.PENDING: "warning",
    ReviewStatus.APPROVED: "success",
    ReviewStatus.REJECTED: "danger",
    MilestoneStatus.NOT_STARTED: "secondary",
    MilestoneStatus.IN_PROGRESS: "primary",
    MilestoneStatus.DONE: "success",
    MilestoneStatus.OVERDUE: "danger",
    IssueStatus.NEW: "secondary",
    IssueStatus.IN_PROGRESS: "primary",
    IssueStatus.RESOLVED: "info",
    IssueStatus.CLOSED: "success",
    Rag.RED: "danger",
    Rag.AMBER: "warning",
    Rag.GREEN: "success",
    SubmissionState.DUE: "secondary",
    SubmissionState.MISSING: "danger",
    SubmissionState.ON_TIME: "success",
    SubmissionState.LATE: "warning",
    AgreementStatus.ACTIVE: "success",
    AgreementStatus.TERMINATED: "secondary",
    LeadStatus.NEW: "info",
    LeadStatus.FOLLOWING: "primary",
    LeadStatus.CONVERTED: "success",
    LeadStatus.ABANDONED: "secondary",
    Verdict.PRAISE: "success",
    Verdict.CRITICISE: "danger",
    Verdict.SUMMON: "danger",
    Verdict.ACCOUNT: "dark",
}


def tone(value: Any) -> str:
    """The badge colour of a state; ``secondary`` for anything the table does not know."""
    return TONES.get(value, "secondary") if isinstance(value, Enum) else "secondary"
