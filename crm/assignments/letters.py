"""提醒函 to the 分包县级领导 of a key project that turned 红 (issue 16): what slipped and since when, and the open issues
— as a printed letter and a .docx — and the log of the letters the daily alert job issued (``ReminderLetter``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.assignments.models import ReminderLetter
from crm.domain.projects import NOT_STARTED, Rag, RagReason
from crm.extensions import db
from crm.projects.models import Project
from crm.users.models import User
from crm.web.dates import full_date_text
from crm.web.docx import as_bytes, new_document, paragraph
from crm.web.labels import label_text
from crm.web.rag_text import reasons_text

RED_ALERT = "project_red"  # the alert kind of crm.notifications.alerts.red_project_alerts


@dataclass
class Letter:
    project: Project
    leader: User
    today: date
    rag: tuple[Rag, list[RagReason]]
    start_missed: date | None = None  # 计划开工 passed without 开工
    missed: list[Any] = field(default_factory=list)  # overdue milestones, earliest first
    issues: list[Any] = field(default_factory=list)  # open issues, overdue first

    @property
    def dated(self) -> str:
        return full_date_text(self.today)

    @property
    def addressee(self) -> str:
        title = label_text(self.leader.title) if self.leader.title else ""
        return self.leader.display_name if title in self.leader.display_name else f"{self.leader.display_name}{title}"

    def lines(self) -> list[str]:
        """What slipped and since when, one sentence each."""
        out = []
        if self.start_missed:
            out.append(_("计划开工日期 %(day)s 已过，项目仍未开工（已 %(days)d 天）", day=self.start_missed.isoformat(),
                         days=(self.today - self.start_missed).days))
        for m in self.missed:
            out.append(_("节点“%(kind)s”计划 %(day)s 完成，已逾期 %(days)d 天", kind=label_text(m.kind), day=m.planned_on.isoformat(),
                         days=(self.today - m.planned_on).days))
        return out

    def issue_lines(self) -> list[str]:
        return [_("%(number)s %(text)s（期限 %(day)s%(late)s）", number=i.number, text=i.description, day=i.deadline.isoformat(),
                  late=_("，已逾期") if i.deadline < self.today else "") for i in self.issues]


def letter_for(project: Project, leader: User, today: date) -> Letter:
    from crm.issues.models import Issue
    from crm.progress.models import Milestone
    from crm.projects.rag import project_rags

    rag = project_rags([project], today)[project.id]
    missed = list(db.session.scalars(
        sa.select(Milestone).where(Milestone.project_id == project.id, Milestone.overdue_on(today)).order_by(Milestone.planned_on, Milestone.id)
    ))
    issues = list(db.session.scalars(sa.select(Issue).where(Issue.project_id == project.id, Issue.is_open()).order_by(Issue.deadline, Issue.id)))
    late_start = project.stage in NOT_STARTED and project.planned_start_on is not None and project.planned_start_on < today
    return Letter(project, leader, today, rag, project.planned_start_on if late_start else None, missed, issues)


def letter_docx(letters: list[Letter], sender: str) -> bytes:
    document = None
    for letter in letters:
        if document is None:
            document = new_document(_("提醒函"))
        else:
            document.add_page_break()
            paragraph(document, _("提醒函"), 20, bold=True)
        paragraph(document, _("%(name)s同志：", name=letter.addressee))
        paragraph(document, body_text(letter))
        for number, line in enumerate(letter.lines(), 1):
            paragraph(document, f"{number}. {line}")
        if letter.issues:
            paragraph(document, _("未办结问题："))
            for line in letter.issue_lines():
                paragraph(document, line)
        paragraph(document, closing_text())
        paragraph(document, sender, right=True)
        paragraph(document, full_date_text(letter.today), right=True)
    return as_bytes(document if document is not None else new_document(_("提醒函")))


def body_text(letter: Letter) -> str:
    project = letter.project
    return _("您分包的重点项目“%(name)s”（%(unit)s，%(stage)s）目前为%(colour)s灯，原因：%(reasons)s。具体情况如下：",
             name=project.name, unit=project.unit.name, stage=label_text(project.stage), colour=label_text(letter.rag[0]),
             reasons=reasons_text(letter.rag[1]) or _("无"))


def closing_text() -> str:
    return _("请督促牵头单位和服务专班尽快推进，协调解决上述问题，并将推进情况及时反馈县招商引资工作领导小组办公室。")


def log_letters(user: User, alerts: list[Any], today: date) -> int:
    """The 提醒函 of today's new red-project alerts, logged on their projects (one per project, leader and causes:
    the alert's key). Called by the daily alert job with the alerts it has just created."""
    logged = 0
    for alert in alerts:
        if alert.kind != RED_ALERT:
            continue
        project_id = int(alert.key.split(":", 1)[0])
        exists = db.session.scalar(sa.select(ReminderLetter.id).where(
            ReminderLetter.project_id == project_id, ReminderLetter.leader_id == user.id, ReminderLetter.cause_key == alert.key))
        if exists is None:
            db.session.add(ReminderLetter(project_id=project_id, leader_id=user.id, issued_on=today, cause_key=alert.key, summary=alert.body or alert.title))
            logged += 1
    db.session.flush()
    return logged


def letters_of(project_id: int) -> list[ReminderLetter]:
    return list(db.session.scalars(sa.select(ReminderLetter).where(ReminderLetter.project_id == project_id)
                                   .order_by(ReminderLetter.issued_on.desc(), ReminderLetter.id.desc())))
