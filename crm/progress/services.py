"""Milestones, monthly progress and 到位资金: the rules. Services validate and flush; the view commits once.

- Nothing is dated before the project existed (``Project.tracked_since``), nothing is done in the
  future, and a month is never later than the current one: a report is about what happened.
- One milestone per standard 节点, one progress report per month. 累计完成投资 only grows.
- 到位资金 entries are created 审核中; only a reviewer approves or rejects them (with a comment);
  a rejected entry is corrected and resubmitted; an approved one is locked, because it counts.
- Saving a progress report is the project's latest update (红黄绿's "no update for 14 days").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable

import filetype
import sqlalchemy as sa
from flask_babel import gettext as _

from crm.web.money import wan_text
from crm.attachments import services as attachments
from crm.attachments.models import Attachment
from crm.domain.agreements import amount_problem
from crm.domain.companies import FundingSource
from crm.domain.projects import MILESTONE_OF_STAGE, FundPurpose, MilestoneKind, ReviewStatus, reached_on
from crm.db import utcnow
from crm.errors import FieldError, FormData
from crm.extensions import db
from crm.progress.models import FundArrival, Milestone, ProgressReport
from crm.projects.models import Project
from crm.projects.signals import stage_applied
from crm.web.labels import label

MAX_FUND = Decimal("999999999999.99")  # 万元: below 10^12
PHOTO_TYPES = {"image/jpeg", "image/png"}
FORM = "form"  # a refusal that belongs to the whole form, not one field


class ProgressError(FieldError):
    pass


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


# --- shared checks -----------------------------------------------------------------------------
def check_day(project: Project, field: str, day: date | None) -> None:
    """A date about the project cannot be earlier than the day it was entered (入库)."""
    if day is not None and day < project.tracked_since:
        raise ProgressError(field, _("日期不能早于项目入库日期（%(day)s）", day=project.tracked_since.isoformat()))


def check_period(project: Project, period: str, today: date) -> None:
    """A statistics month lies between the month the project was entered and the current month."""
    if period < month_of(project.tracked_since):
        raise ProgressError("period", _("月份不能早于项目入库月份（%(month)s）", month=month_of(project.tracked_since)))
    if period > month_of(today):
        raise ProgressError("period", _("不能填报未来的月份（本月是 %(month)s）", month=month_of(today)))


# --- milestones --------------------------------------------------------------------------------
@dataclass
class MilestoneData(FormData):
    kind: str
    planned_on: date
    actual_on: date | None
    responsible_unit_id: int | None
    note: str | None


def _check_milestone(project: Project, data: MilestoneData, today: date, unit_ids: set[int], milestone: Milestone | None) -> MilestoneKind:
    try:
        kind = MilestoneKind(data.kind)
    except ValueError:
        raise ProgressError("kind", _("请从列表中选择")) from None
    if data.planned_on is None:
        raise ProgressError("planned_on", _("请填写日期"))
    check_day(project, "planned_on", data.planned_on)
    check_day(project, "actual_on", data.actual_on)
    if data.actual_on is not None and data.actual_on > today:
        raise ProgressError("actual_on", _("实际完成日期不能晚于今天（%(day)s）", day=today.isoformat()))
    if data.responsible_unit_id is not None and data.responsible_unit_id not in unit_ids:
        raise ProgressError("responsible_unit_id", _("请从列表中选择"))
    same_kind = sa.select(Milestone.id).where(Milestone.project_id == project.id, Milestone.kind == kind)
    if milestone is not None:
        same_kind = same_kind.where(Milestone.id != milestone.id)
    if db.session.scalar(same_kind) is not None:
        raise ProgressError("kind", _("该项目已有“%(kind)s”节点，请编辑原节点", kind=label(kind)))
    return kind


def _apply_milestone(milestone: Milestone, kind: MilestoneKind, data: MilestoneData) -> None:
    milestone.kind = kind
    milestone.planned_on = data.planned_on
    milestone.actual_on = data.actual_on
    milestone.responsible_unit_id = data.responsible_unit_id
    milestone.note = data.note


def create_milestone(project: Project, data: MilestoneData, today: date, unit_ids: set[int]) -> Milestone:
    """A 节点 of the project's 倒排工期: one per kind, dated within the project's life."""
    kind = _check_milestone(project, data, today, unit_ids, None)
    milestone = Milestone(project_id=project.id, project=project)
    _apply_milestone(milestone, kind, data)
    db.session.add(milestone)
    db.session.flush()
    return milestone


def update_milestone(milestone: Milestone, data: MilestoneData, today: date, unit_ids: set[int]) -> None:
    kind = _check_milestone(milestone.project, data, today, unit_ids, milestone)
    _apply_milestone(milestone, kind, data)
    db.session.flush()


def delete_milestone(milestone: Milestone) -> None:
    """Only a 节点 not yet done may go: a done one is part of the project's record."""
    if milestone.actual_on is not None:
        raise ProgressError(FORM, _("已完成的节点不能删除"))
    db.session.delete(milestone)
    db.session.flush()


@stage_applied.connect
def complete_stage_milestone(project: Project, event: Any, today: date) -> None:
    """An approved 注册, 开工 or 投产 completes the project's matching 节点 with the day it was reached, so that the
    milestone, 红黄绿 and the next 节点 follow the stage at once. A 节点 already done keeps its date."""
    kind = MILESTONE_OF_STAGE.get(event.to_stage)
    if kind is None or project.id is None:  # a project not flushed yet (an import's new rows) has no 节点 of its own
        return
    milestone = db.session.scalars(
        sa.select(Milestone).where(Milestone.project_id == project.id, Milestone.kind == kind, Milestone.is_open())
    ).first()
    if milestone is not None:
        milestone.actual_on = reached_on(event.period, today)


def schedule_stamp(milestones: Iterable[Milestone]) -> str:
    """The milestones' ids and versions: a 倒排工期 form rendered before another change is stale."""
    return ",".join(f"{m.id}:{m.version}" for m in sorted(milestones, key=lambda m: m.id))


def set_schedule(project: Project, planned: dict[MilestoneKind, date | None], field_of: dict[MilestoneKind, str]) -> int:
    """倒排工期 in one go: set the planned date of each 节点 given; a blank one is left as it is.

    Missing 节点 are created (without a responsible unit). Returns how many were created or changed.
    """
    existing = {m.kind: m for m in db.session.scalars(sa.select(Milestone).where(Milestone.project_id == project.id))}
    for kind, day in planned.items():
        check_day(project, field_of[kind], day)
    changed = 0
    for kind in MilestoneKind:
        day = planned.get(kind)
        if day is None:
            continue
        milestone = existing.get(kind)
        if milestone is None:
            db.session.add(Milestone(project_id=project.id, project=project, kind=kind, planned_on=day))
            changed += 1
        elif milestone.planned_on != day:
            milestone.planned_on = day
            changed += 1
    db.session.flush()
    return changed


# --- progress reports --------------------------------------------------------------------------
@dataclass
class ReportData(FormData):
    period: str
    cumulative_investment: Decimal | None
    description: str


def _neighbour(project_id: int, period: str, report_id: int | None, earlier: bool) -> ProgressReport | None:
    """The nearest other month's report with a 累计完成投资, before (or after) ``period``."""
    stmt = sa.select(ProgressReport).where(
        ProgressReport.project_id == project_id, ProgressReport.cumulative_investment.is_not(None)
    )
    if report_id is not None:
        stmt = stmt.where(ProgressReport.id != report_id)
    if earlier:
        stmt = stmt.where(ProgressReport.period < period).order_by(ProgressReport.period.desc())
    else:
        stmt = stmt.where(ProgressReport.period > period).order_by(ProgressReport.period.asc())
    return db.session.scalars(stmt.limit(1)).first()


def _check_report(project: Project, data: ReportData, today: date, report: ProgressReport | None) -> None:
    if not data.period:
        raise ProgressError("period", _("请填写月份"))
    check_period(project, data.period, today)
    same = sa.select(ProgressReport.id).where(ProgressReport.project_id == project.id, ProgressReport.period == data.period)
    if report is not None:
        same = same.where(ProgressReport.id != report.id)
    if db.session.scalar(same) is not None:
        raise ProgressError("period", _("%(month)s 已有进展记录，请编辑该月的记录", month=data.period))
    if not (data.description or "").strip():
        raise ProgressError("description", _("必填项"))
    value = data.cumulative_investment
    if value is None:
        return
    if value < 0:
        raise ProgressError("cumulative_investment", _("累计完成投资不能为负数"))
    report_id = report.id if report is not None else None
    before = _neighbour(project.id, data.period, report_id, earlier=True)
    if before is not None and value < before.cumulative_investment:  # type: ignore[operator]
        raise ProgressError(
            "cumulative_investment",
            _(
                "累计完成投资只增不减：不能少于 %(month)s 已报的 %(amount)s。如该月数据有误，请先修改该月的记录",
                month=before.period,
                amount=wan_text(before.cumulative_investment),  # type: ignore[arg-type]
            ),
        )
    after = _neighbour(project.id, data.period, report_id, earlier=False)
    if after is not None and value > after.cumulative_investment:  # type: ignore[operator]
        raise ProgressError(
            "cumulative_investment",
            _(
                "累计完成投资只增不减：不能多于之后 %(month)s 已报的 %(amount)s。如该月数据有误，请先修改该月的记录",
                month=after.period,
                amount=wan_text(after.cumulative_investment),  # type: ignore[arg-type]
            ),
        )


def _apply_report(report: ProgressReport, data: ReportData, project: Project, today: date) -> None:
    report.period = data.period
    report.cumulative_investment = data.cumulative_investment
    report.description = data.description.strip()
    # The project's latest update, read by 红黄绿; never moved backwards.
    if project.last_progress_on is None or project.last_progress_on < today:
        project.last_progress_on = today


def create_report(project: Project, data: ReportData, today: date, user_id: int | None) -> ProgressReport:
    """The month's 形象进度 and 累计完成投资."""
    _check_report(project, data, today, None)
    report = ProgressReport(project_id=project.id, project=project, reported_by_id=user_id)
    _apply_report(report, data, project, today)
    db.session.add(report)
    db.session.flush()
    return report


def update_report(report: ProgressReport, data: ReportData, today: date) -> None:
    _check_report(report.project, data, today, report)
    _apply_report(report, data, report.project, today)
    db.session.flush()


def _head(file_storage: Any) -> bytes:
    stream = file_storage.stream
    head = stream.read(512)
    stream.seek(0)
    return head


def check_photos(files: list[Any]) -> None:
    """Photos are JPG or PNG pictures, judged from their content (a PDF belongs in 佐证材料)."""
    for f in files:
        kind = filetype.guess(_head(f))
        if kind is None or kind.mime not in PHOTO_TYPES:
            raise ProgressError("files", _("照片只能是 JPG 或 PNG 图片（%(name)s 不是）", name=attachments.clean_original_name(f.filename, "")))


def add_photos(report: ProgressReport, files: list[Any], user_id: int | None) -> list[Attachment]:
    check_photos(files)
    return [attachments.store(f, report, user_id) for f in files]


# --- 到位资金 ---------------------------------------------------------------------------------
@dataclass
class FundData(FormData):
    period: str
    amount: Decimal | None
    source: str
    purpose: str
    note: str | None


def _check_fund(project: Project, data: FundData, today: date) -> tuple[FundingSource, FundPurpose]:
    if not data.period:
        raise ProgressError("period", _("请填写月份"))
    check_period(project, data.period, today)
    if data.amount is None:
        raise ProgressError("amount", _("请填写金额"))
    if data.amount <= 0:
        raise ProgressError("amount", _("到位金额必须大于 0"))
    if amount_problem(data.amount, MAX_FUND):
        raise ProgressError("amount", _("金额须小于 10^12 万元且最多保留两位小数，请核对"))
    try:
        source = FundingSource(data.source)
    except ValueError:
        raise ProgressError("source", _("请从列表中选择")) from None
    try:
        return source, FundPurpose(data.purpose)
    except ValueError:
        raise ProgressError("purpose", _("请从列表中选择")) from None


def _apply_fund(fund: FundArrival, data: FundData, source: FundingSource, purpose: FundPurpose) -> None:
    fund.period = data.period
    fund.amount = data.amount  # type: ignore[assignment]
    fund.source = source
    fund.purpose = purpose
    fund.note = data.note


def create_fund(project: Project, data: FundData, today: date, user_id: int | None) -> FundArrival:
    """A 到位资金 entry, waiting for review (审核中): it counts only once approved."""
    source, purpose = _check_fund(project, data, today)
    fund = FundArrival(project_id=project.id, project=project, submitted_by_id=user_id, review_status=ReviewStatus.PENDING)
    _apply_fund(fund, data, source, purpose)
    db.session.add(fund)
    db.session.flush()
    return fund


def check_not_approved(fund: FundArrival, field: str = FORM) -> None:
    if fund.review_status is ReviewStatus.APPROVED:
        raise ProgressError(field, _("已审核通过的到位资金不能修改；如有错误请联系审核员"))


def update_fund(fund: FundArrival, data: FundData, today: date, user_id: int | None) -> None:
    """Correct an entry not yet approved. A rejected one goes back to review (resubmitted)."""
    check_not_approved(fund)
    source, purpose = _check_fund(fund.project, data, today)
    _apply_fund(fund, data, source, purpose)
    if fund.review_status is ReviewStatus.REJECTED:
        fund.review_status = ReviewStatus.PENDING
        fund.submitted_by_id = user_id
    db.session.flush()


def delete_fund(fund: FundArrival) -> None:
    """An entry not yet approved may be withdrawn, with its evidence."""
    check_not_approved(fund)
    for found in attachments.attachments_of(fund):
        attachments.delete(found)
    db.session.delete(fund)
    db.session.flush()


def add_evidence(fund: FundArrival, files: list[Any], user_id: int | None) -> list[Attachment]:
    """佐证材料 (PDF, JPG, PNG); an approved entry's evidence is what was reviewed, so it stays as it is."""
    check_not_approved(fund, "files")
    return [attachments.store(f, fund, user_id) for f in files]


def _check_pending(fund: FundArrival) -> None:
    if fund.review_status is not ReviewStatus.PENDING:
        raise ProgressError(FORM, _("该条到位资金不在审核中，无需审核"))


def approve_fund(fund: FundArrival, reviewer_id: int) -> None:
    """审核通过: from now on the entry counts in 累计到位资金 and 资金到位率."""
    _check_pending(fund)
    fund.review_status = ReviewStatus.APPROVED
    fund.reviewed_by_id = reviewer_id
    fund.reviewed_at = utcnow()
    fund.review_comment = None
    db.session.flush()


def reject_fund(fund: FundArrival, reviewer_id: int, comment: str | None) -> None:
    """审核未通过, always with the reason, which the submitter sees."""
    _check_pending(fund)
    comment = (comment or "").strip()
    if not comment:
        raise ProgressError("comment", _("退回时须填写意见"))
    fund.review_status = ReviewStatus.REJECTED
    fund.reviewed_by_id = reviewer_id
    fund.reviewed_at = utcnow()
    fund.review_comment = comment
    db.session.flush()
