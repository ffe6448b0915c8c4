"""准入评审: the county's 评审表, a project's 初审 and 会审. Services validate and flush; the view commits once.

- The 评审表 is a report setting of the county (``ReportSettings`` key ``admission_sheet``, validated by
  ``crm.domain.admission``); none stored means the default 100-point sheet. Its ``gate`` flag makes a passed review
  part of the 签约 gate (``crm.projects.services.facts_of`` asks ``signing_review_facts``).
- 初审: the project's unit (staff, chief) reviews a project in 在谈; 初审通过 sends it to the 会审, 初审未通过 ends
  the review. One review at a time awaits its 会审.
- 会审: the county's 审核员 (or an admin) records participants, minutes, each criterion's score and the 一票否决
  items found; the outcome may be no more lenient than the scores allow, and 有条件通过 states its conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from flask_babel import gettext as _

from crm.access.scoping import UNSCOPED
from crm.admission.models import AdmissionReview
from crm.agreements.models import Agreement
from crm.access.policy import check_in_service
from crm.domain.access import Action, Actor, Resource, Target
from crm.domain.admission import (
    Figure,
    Outcome,
    ReviewStatus,
    ScoreError,
    Sheet,
    SheetError,
    check_scores,
    outcome_problem,
    verdict,
)
from crm.domain.agreements import AgreementStatus
from crm.domain.pipeline import Stage
from crm.errors import FieldError
from crm.extensions import db
from crm.projects.models import Project
from crm.reports.models import ReportSettings
from crm.reports.scope import home_county
from crm.reports.settings import setting_row, store_setting

SHEET_KEY = "admission_sheet"
FORM = "form"


class AdmissionError(FieldError):
    pass


def review_target(unit_id: int) -> Target:
    return Target(Resource.ADMISSION_REVIEW, unit_id=unit_id)


def _require(actor: Actor, action: Action, target: Target) -> None:
    check_in_service(actor, action, target, AdmissionError)


# --- the county's 评审表 ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CountySheet:
    sheet: Sheet
    row: ReportSettings | None
    broken: bool = False  # a stored value that no longer validates: the default applies, the page says so


def sheet_row(county_id: int) -> ReportSettings | None:
    return setting_row(county_id, SHEET_KEY)


def county_sheet(county_id: int) -> CountySheet:
    row = sheet_row(county_id)
    try:
        return CountySheet(Sheet.from_json(row.value if row is not None else None), row)
    except SheetError:
        return CountySheet(Sheet.from_json(None), row, broken=True)


def save_sheet(county_id: int, sheet: Sheet, row: ReportSettings | None) -> ReportSettings:
    """Store the county's sheet (the view has checked ``may_manage`` and the version; the sheet is validated)."""
    return store_setting(county_id, SHEET_KEY, sheet.to_json(), row)


# --- figures and the 签约 gate --------------------------------------------------------------------------
def agreement_figures(project: Project) -> dict[Figure, Decimal | None]:
    """投资强度 and 亩均税收 from the project's newest agreement in force that states them (any type: a 框架协议
    often does), read past the scope: the project has been checked already."""
    company_ids = [project.company_id] + ([project.local_company_id] if project.local_company_id else [])
    rows = db.session.execute(
        sa.select(Agreement.investment_intensity, Agreement.tax_per_mu)
        .where(Agreement.company_id.in_(company_ids), Agreement.status == AgreementStatus.ACTIVE,
               sa.or_(Agreement.project_id.is_(None), Agreement.project_id == project.id),
               sa.or_(Agreement.investment_intensity.is_not(None), Agreement.tax_per_mu.is_not(None)))
        .order_by(Agreement.signed_on.desc(), Agreement.id.desc())
        .execution_options(**UNSCOPED)
    ).all()
    figures: dict[Figure, Decimal | None] = {Figure.INVESTMENT_INTENSITY: None, Figure.TAX_PER_MU: None}
    for intensity, tax in rows:
        figures[Figure.INVESTMENT_INTENSITY] = figures[Figure.INVESTMENT_INTENSITY] or intensity
        figures[Figure.TAX_PER_MU] = figures[Figure.TAX_PER_MU] or tax
    return figures


def has_passed_review(project_id: int) -> bool:
    """A 会审 of the project ended 通过 or 有条件通过 (read past the scope: the gate is the project's, whoever asks)."""
    return bool(db.session.scalar(
        sa.select(sa.func.count()).select_from(AdmissionReview)
        .where(AdmissionReview.project_id == project_id, AdmissionReview.status == ReviewStatus.DECIDED,
               AdmissionReview.outcome.in_((Outcome.PASSED, Outcome.CONDITIONAL)))
        .execution_options(**UNSCOPED)
    ))


def signing_review_facts(project: Project) -> tuple[bool, bool]:
    """(the county requires a passed review before 签约, the project has one)."""
    required = county_sheet(home_county(project.unit_id)).sheet.gate
    return required, (has_passed_review(project.id) if required else False)


# --- 初审 ------------------------------------------------------------------------------------------------
@dataclass
class PrelimData:
    prelim_on: date | None
    passed: bool
    opinion: str | None
    investment_intensity: Decimal | None
    tax_per_mu: Decimal | None


def awaiting_review(project_id: int) -> AdmissionReview | None:
    return db.session.scalars(sa.select(AdmissionReview).where(
        AdmissionReview.project_id == project_id, AdmissionReview.status == ReviewStatus.AWAITING_JOINT)).first()


def _apply_prelim(review: AdmissionReview, data: PrelimData, today: date) -> None:
    if data.prelim_on is None:
        raise AdmissionError("prelim_on", _("请填写日期"))
    if data.prelim_on > today:
        raise AdmissionError("prelim_on", _("初审日期不能晚于今天"))
    if not (data.opinion or "").strip():
        raise AdmissionError("opinion", _("请填写初审意见"))
    review.prelim_on = data.prelim_on
    review.prelim_opinion = (data.opinion or "").strip()
    review.status = ReviewStatus.AWAITING_JOINT if data.passed else ReviewStatus.PRELIM_REJECTED
    figures = agreement_figures(review.project)
    review.investment_intensity = data.investment_intensity if data.investment_intensity is not None else figures[Figure.INVESTMENT_INTENSITY]
    review.tax_per_mu = data.tax_per_mu if data.tax_per_mu is not None else figures[Figure.TAX_PER_MU]


def create_prelim(actor: Actor, project: Project, data: PrelimData, today: date) -> AdmissionReview:
    """初审 of a project in 在谈 by its unit, on the county's sheet as it stands today."""
    _require(actor, Action.CREATE, review_target(project.unit_id))
    if project.stage is not Stage.TALKS:
        raise AdmissionError(FORM, _("只有“在谈”阶段的项目可以进行准入评审"))
    if awaiting_review(project.id) is not None:
        raise AdmissionError(FORM, _("该项目已有一份准入评审等待会审"))
    review = AdmissionReview(unit_id=project.unit_id, project_id=project.id, prelim_by_id=actor.user_id,
                             sheet=county_sheet(home_county(project.unit_id)).sheet.to_json())
    review.project = project
    _apply_prelim(review, data, today)
    db.session.add(review)
    db.session.flush()
    return review


def update_prelim(actor: Actor, review: AdmissionReview, data: PrelimData, today: date) -> None:
    """The unit corrects its 初审 until the 会审 is held."""
    _require(actor, Action.EDIT, review.access_target())
    if review.status is ReviewStatus.DECIDED:
        raise AdmissionError(FORM, _("会审已完成，初审不能再修改"))
    if data.passed and review.status is not ReviewStatus.AWAITING_JOINT and awaiting_review(review.project_id) is not None:
        raise AdmissionError(FORM, _("该项目已有一份准入评审等待会审"))
    _apply_prelim(review, data, today)
    db.session.flush()


# --- 会审 ------------------------------------------------------------------------------------------------
@dataclass
class JointData:
    joint_on: date | None
    participants: str | None
    minutes: str | None
    scores: list[Decimal | None]
    vetoes_hit: list[str]
    outcome: Outcome | None
    conditions: str | None
    investment_intensity: Decimal | None
    tax_per_mu: Decimal | None


def score_field(index: int) -> str:
    return f"scores.{index}"


def record_joint(actor: Actor, review: AdmissionReview, data: JointData, today: date) -> None:
    """会审: scores on the review's sheet, the total, and an outcome the scores allow."""
    _require(actor, Action.REVIEW, review.access_target())
    if review.status is not ReviewStatus.AWAITING_JOINT:
        raise AdmissionError(FORM, _("该评审不在待会审状态"))
    if data.joint_on is None:
        raise AdmissionError("joint_on", _("请填写日期"))
    if data.joint_on > today:
        raise AdmissionError("joint_on", _("会审日期不能晚于今天"))
    if data.joint_on < review.prelim_on:
        raise AdmissionError("joint_on", _("会审日期不能早于初审日期"))
    if not (data.participants or "").strip():
        raise AdmissionError("participants", _("请填写参会人员"))
    if not (data.minutes or "").strip():
        raise AdmissionError("minutes", _("请填写会议纪要"))
    sheet = review.sheet_rules
    try:
        scores = check_scores(sheet, data.scores)
    except ScoreError as error:
        if error.code == "count":
            raise AdmissionError(FORM, _("评审表已变化，请刷新页面后重新打分")) from None
        criterion = sheet.criteria[error.index]
        message = _("请为“%(name)s”打分", name=criterion.name) if error.code == "missing" else \
            _("“%(name)s”的得分应在 0 到 %(max)s 之间", name=criterion.name, max=f"{criterion.points.normalize():f}")
        raise AdmissionError(score_field(error.index), message) from None
    unknown = [v for v in data.vetoes_hit if v not in sheet.vetoes]
    if unknown:
        raise AdmissionError("vetoes_hit", _("请从列表中选择"))
    if data.outcome is None:
        raise AdmissionError("outcome", _("请选择评审结论"))
    if data.investment_intensity is not None:
        review.investment_intensity = data.investment_intensity
    if data.tax_per_mu is not None:
        review.tax_per_mu = data.tax_per_mu
    figures = {Figure.INVESTMENT_INTENSITY: review.investment_intensity, Figure.TAX_PER_MU: review.tax_per_mu}
    result = verdict(sheet, scores, data.vetoes_hit, figures)
    problem = outcome_problem(data.outcome, result.allowed, data.conditions)
    if problem == "too_lenient":
        raise AdmissionError("outcome", too_lenient_text(result))
    if problem == "conditions":
        raise AdmissionError("conditions", _("有条件通过须写明所附条件"))
    review.joint_on = data.joint_on
    review.participants = (data.participants or "").strip()
    review.minutes = (data.minutes or "").strip()
    review.scores = [f"{s:f}" for s in scores]
    review.vetoes_hit = list(result.vetoed)
    review.total_score = result.total
    review.outcome = data.outcome
    review.conditions = (data.conditions or "").strip() or None
    review.joint_by_id = actor.user_id
    review.status = ReviewStatus.DECIDED
    db.session.flush()


def too_lenient_text(result: Any) -> str:
    from crm.web.labels import label

    reasons = []
    if result.vetoed:
        reasons.append(_("触及一票否决项：%(items)s", items="、".join(result.vetoed)))
    if result.missed:
        reasons.append(_("未达门槛或缺少数据：%(items)s", items="、".join(result.missed)))
    reasons.append(_("总分 %(total)s", total=f"{result.total.normalize():f}"))
    return _("按评审表最多只能评为“%(best)s”（%(reasons)s）", best=label(result.allowed), reasons="；".join(reasons))
