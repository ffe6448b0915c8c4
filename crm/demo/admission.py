"""The demo scenario's 准入评审 (issue 17): 荣格集团项目, in 在谈 on its 框架协议, goes through 第一招商分局's 初审 and
the county's 会审 on the default 百分制 评审表 — 投资强度 is stated (320 万元/亩), 亩均税收 not yet, so the 会审
lets it through 有条件通过 with its conditions. Dated relative to the load day; idempotent by project."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.admission.models import AdmissionReview
from crm.domain.admission import Figure, Outcome, ReviewStatus, default_sheet, verdict
from crm.domain.pipeline import Stage
from crm.extensions import db
from crm.projects.models import Project
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

PROJECT = "荣格集团项目"
SCORES = [Decimal(22), Decimal(10), Decimal(12), Decimal(13), Decimal(12), Decimal(8)]  # 77 of 100
INTENSITY = Decimal(320)
PARTICIPANTS = "县政府副县长（招商）；县招商局局长；县发改委、县自然资源局、县生态环境局、县税务局、产业集聚区管委会负责同志；第一招商分局局长"
MINUTES = ("会议听取了第一招商分局关于荣格集团项目的初审汇报。与会单位认为：项目符合本县产业链延链补链方向，投资强度 320 万元/亩，"
           "达到 300 万元/亩的准入门槛；亩均税收尚无明确承诺，能耗、环保指标需在签约前进一步论证。经逐项打分，总分 77 分。")
CONDITIONS = "1. 正式投资协议须明确亩均税收不低于 30 万元/亩/年；\n2. 签约前报送能评、环评初步意见；\n3. 一期用地控制在 150 亩以内。"


def load_admission(report: "LoadReport", today: date) -> None:
    project = db.session.scalars(sa.select(Project).where(Project.name == PROJECT)).first()
    if project is None or project.stage is not Stage.TALKS:
        return
    if db.session.scalar(sa.select(sa.func.count()).select_from(AdmissionReview).where(AdmissionReview.project_id == project.id)):
        return
    users = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(("staff1", "reviewer"))))}
    sheet = default_sheet()
    result = verdict(sheet, SCORES, [], {Figure.INVESTMENT_INTENSITY: INTENSITY, Figure.TAX_PER_MU: None})
    assert result.allowed is Outcome.CONDITIONAL
    db.session.add(AdmissionReview(
        unit_id=project.unit_id, project_id=project.id, sheet=sheet.to_json(), investment_intensity=INTENSITY,
        prelim_on=today - timedelta(days=20), prelim_opinion="项目符合本县产业导向，投资强度达标，建议提交县招商局会审。",
        prelim_by_id=users["staff1"].id if "staff1" in users else None,
        joint_on=today - timedelta(days=12), participants=PARTICIPANTS, minutes=MINUTES, scores=[f"{s:f}" for s in SCORES], vetoes_hit=[],
        total_score=result.total, outcome=Outcome.CONDITIONAL, conditions=CONDITIONS, status=ReviewStatus.DECIDED,
        joint_by_id=users["reviewer"].id if "reviewer" in users else None))
    report.add("admission reviews")
    db.session.flush()
