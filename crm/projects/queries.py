"""Reading projects (under the actor's scope): list and board filters, stage history, the review queue."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from crm.companies.models import CompanyTagRow
from crm.companies.signals import company_followers
from crm.domain.companies import CompanyTag, FundingSource, IndustryCategory
from crm.domain.kpi import is_period
from crm.domain.pipeline import Stage
from crm.domain.projects import SCALE_BANDS, Rag, ReviewStatus
from crm.domain.reports import Flag, Phase
from crm.db import one_of
from crm.extensions import db
from crm.projects.models import Project, StageEvent
from crm.web.search import named_or_of_company, parse_enum, where_equals
from crm.web.ids import optional_int

SORTS: dict[str, Any] = {
    "-updated": (Project.updated_at.desc(), Project.id.desc()),
    "-total": (Project.total_investment.desc().nulls_last(), Project.id.desc()),
    "-contracted": (Project.contracted_amount.desc().nulls_last(), Project.id.desc()),
    "name": (Project.name.asc(), Project.id.asc()),
    "stage_since": (Project.stage_since.asc().nulls_last(), Project.id.asc()),
}
BAND_NAMES = [name for _lower, name in SCALE_BANDS]
YI_STEPS = (1, 10, 50, 100)  # 亿元以上, 10亿元以上, 50亿元以上, 百亿级



@dataclass
class ProjectFilters:
    q: str = ""
    stage: str = ""
    unit: int | None = None
    chain: int | None = None
    category: str = ""
    band: str = ""
    leader: int | None = None
    tag: str = ""
    rag: str = ""
    key: bool = False
    sort: str = "-updated"
    # Drill-down from the leaders' figures (crm.reports): the projects behind a counted figure.
    event: str = ""  # a stage reached by a counted (统计口径) approved event …
    start: str = ""  # … in these months (YYYY-MM, inclusive)
    end: str = ""
    signing_event: str = ""  # 签约活动 of the counted signing's agreement (a 三率 cohort)
    phase: str = ""  # 履约 / 开工 / 投产 / 落地 (crm.domain.reports.Phase)
    source: str = ""  # 资金来源地
    yi: int | None = None  # 总投资 at least this many 亿 (1, 10, 50, 100)
    flag: str = ""  # 影子项目 / 空巢项目 / 逾期未开工 (crm.domain.reports.Flag)

    @classmethod
    def from_args(cls, args: Any) -> "ProjectFilters":
        return cls(
            q=args.get("q", "").strip()[:60],
            stage=args.get("stage", "") if parse_enum(Stage, args.get("stage")) else "",
            unit=optional_int(args.get("unit")),
            chain=optional_int(args.get("chain")),
            category=args.get("category", "") if parse_enum(IndustryCategory, args.get("category")) else "",
            band=args.get("band", "") if args.get("band") in BAND_NAMES else "",
            leader=optional_int(args.get("leader")),
            tag=args.get("tag", "") if parse_enum(CompanyTag, args.get("tag")) else "",
            rag=args.get("rag", "") if parse_enum(Rag, args.get("rag")) else "",
            key=args.get("key") in ("1", "on", "true"),
            sort=args.get("sort", "-updated") if args.get("sort") in SORTS else "-updated",
            event=args.get("event", "") if parse_enum(Stage, args.get("event")) else "",
            start=args.get("start", "") if is_period(args.get("start")) else "",
            end=args.get("end", "") if is_period(args.get("end")) else "",
            signing_event=args.get("signing_event", "").strip()[:120],
            phase=args.get("phase", "") if parse_enum(Phase, args.get("phase")) else "",
            source=args.get("source", "") if parse_enum(FundingSource, args.get("source")) else "",
            yi=optional_int(args.get("yi")) if optional_int(args.get("yi")) in YI_STEPS else None,
            flag=args.get("flag", "") if parse_enum(Flag, args.get("flag")) else "",
        )

    @property
    def drill_down(self) -> bool:
        return bool(self.event or self.signing_event or self.phase or self.yi or self.flag)

    def args(self, **changes: Any) -> dict[str, Any]:
        """The filters as query-string arguments (for links that keep them), with ``changes`` applied."""
        values = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        return {k: ("1" if v is True else v) for k, v in values.items() if v not in (None, "", False)}


def band_range(name: str) -> tuple[Decimal, Decimal | None]:
    index = BAND_NAMES.index(name)
    lower = SCALE_BANDS[index][0]
    upper = SCALE_BANDS[index + 1][0] if index + 1 < len(SCALE_BANDS) else None
    return lower, upper


def filtered(f: ProjectFilters) -> sa.Select[Any]:
    """The projects matching the SQL filters (RAG is applied afterwards: it is computed)."""
    from crm.assignments.models import ProjectLeader

    stmt = sa.select(Project)
    if f.q:
        stmt = stmt.where(named_or_of_company(Project.id, Project.name, Project.company_id, f.q))
    stmt = where_equals(stmt, Project.stage, parse_enum(Stage, f.stage))
    stmt = where_equals(stmt, Project.unit_id, f.unit)
    stmt = where_equals(stmt, Project.chain_id, f.chain)
    stmt = where_equals(stmt, Project.industry_category, parse_enum(IndustryCategory, f.category))
    if f.band:
        lower, upper = band_range(f.band)
        stmt = stmt.where(Project.total_investment >= lower)
        if upper is not None:
            stmt = stmt.where(Project.total_investment < upper)
    if f.leader:
        stmt = stmt.where(
            Project.id.in_(
                sa.select(ProjectLeader.project_id).where(ProjectLeader.leader_id == f.leader, ProjectLeader.exited_on.is_(None))
            )
        )
    if f.tag:
        stmt = stmt.where(
            Project.company_id.in_(sa.select(CompanyTagRow.company_id).where(CompanyTagRow.tag == CompanyTag(f.tag)))
        )
    if f.key:
        stmt = stmt.where(Project.is_key)
    return _drill_down(stmt, f)


def _drill_down(stmt: sa.Select[Any], f: ProjectFilters) -> sa.Select[Any]:
    """The filters behind the leaders' figures: the same SQL as the figures (crm.reports.counting)."""
    stmt = where_equals(stmt, Project.funding_source, parse_enum(FundingSource, f.source))
    if f.yi:
        from crm.reports.counting import yi_clause

        stmt = stmt.where(yi_clause(f.yi))
    if f.phase:
        from crm.reports.counting import phase_clause

        stmt = stmt.where(phase_clause(Phase(f.phase)))
    if f.event or f.signing_event:
        from crm.reports.drilldown import counted_ids

        stmt = stmt.where(Project.id.in_(counted_ids(Stage(f.event) if f.event else Stage.SIGNED, f.start or None, f.end or None, f.signing_event)))
    if f.flag:
        from crm.reports.drilldown import flag_filter

        stmt = stmt.where(flag_filter(Flag(f.flag)))
    return stmt


def with_display(stmt: sa.Select[Any]) -> sa.Select[Any]:
    """The names a list row, a card or an export line shows beside the project, and no more of those rows (an
    export of a city's projects built 55,000 objects, each company with all its fields)."""
    from crm.catalog.models import IndustryChain
    from crm.companies.models import Company
    from crm.units.models import Unit
    from crm.users.models import User

    return stmt.options(
        joinedload(Project.company).load_only(Company.name), joinedload(Project.unit).load_only(Unit.name),
        joinedload(Project.owner).load_only(User.display_name), joinedload(Project.chain).load_only(IndustryChain.name),
    )


def project_list_query(f: ProjectFilters, rag_ids: list[int] | None = None) -> sa.Select[Any]:
    stmt = filtered(f)
    if rag_ids is not None:
        stmt = stmt.where(Project.id.in_(rag_ids))
    return with_display(stmt).order_by(*SORTS[f.sort])


def ids_with_rag(f: ProjectFilters, today: date) -> list[int] | None:
    """For a RAG filter: the ids of the filtered projects that have that colour (None when not filtering)."""
    if not f.rag:
        return None
    from crm.projects.rag import project_rags

    projects = db.session.scalars(filtered(f)).all()
    rags = project_rags(projects, today)
    return [pid for pid, (colour, _reasons) in rags.items() if colour.value == f.rag]


def totals(stmt: sa.Select[Any]) -> dict[str, Any]:
    """Count and sums of a filtered list, in SQL."""
    sub = stmt.order_by(None).with_only_columns(Project.id, Project.total_investment, Project.contracted_amount).subquery()
    row = db.session.execute(
        sa.select(sa.func.count(sub.c.id), sa.func.sum(sub.c.total_investment), sa.func.sum(sub.c.contracted_amount))
    ).one()
    return {"count": row[0], "total": row[1] or Decimal(0), "contracted": row[2] or Decimal(0)}


def board_columns(stages: list[Stage]) -> list[Stage]:
    return stages + [Stage.PAUSED, Stage.TERMINATED]


def board_cards(stmt: sa.Select[Any], sort: str, columns: list[Stage], per_column: int) -> dict[Stage, list[Project]]:
    """The first ``per_column`` projects of each stage of the list ``stmt``, in its ``sort``, in one query."""
    order = SORTS[sort]
    # One sorted, limited read per stage, as a UNION: each walks the sort's index and stops after a column's worth
    # (a window over the city's 20,000 projects sorted them all first).
    columns_ids = [
        stmt.order_by(None).where(Project.stage == stage).with_only_columns(Project.id).order_by(*order).limit(per_column).subquery()
        for stage in columns
    ]
    chosen = sa.union_all(*(sa.select(ids.c.id) for ids in columns_ids)).subquery()
    chosen = sa.select(chosen.c.id)
    found: dict[Stage, list[Project]] = {stage: [] for stage in columns}
    for project in db.session.scalars(with_display(sa.select(Project).where(Project.id.in_(chosen))).order_by(*order)):
        found[project.stage].append(project)
    return found


def stage_counts(stmt: sa.Select[Any]) -> dict[Stage, tuple[int, Decimal]]:
    sub = stmt.order_by(None).with_only_columns(Project.id, Project.stage, Project.total_investment).subquery()
    rows = db.session.execute(
        sa.select(sub.c.stage, sa.func.count(sub.c.id), sa.func.sum(sub.c.total_investment)).group_by(sub.c.stage)
    ).all()
    return {Stage(stage): (count, total or Decimal(0)) for stage, count, total in rows}


def stage_history(project_id: int) -> list[StageEvent]:
    return list(
        db.session.scalars(
            sa.select(StageEvent)
            .where(StageEvent.project_id == project_id)
            .options(joinedload(StageEvent.submitted_by), joinedload(StageEvent.reviewed_by), joinedload(StageEvent.agreement))
            .order_by(StageEvent.id.desc())
        )
    )


def pending_reviews() -> sa.Select[Any]:
    """Stage reports waiting for review in the reviewer's subtree, oldest first (the queue pages through them)."""
    return (
        sa.select(StageEvent)
        .where(StageEvent.review_status == ReviewStatus.PENDING)
        .options(
            joinedload(StageEvent.project).joinedload(Project.unit),
            joinedload(StageEvent.project).joinedload(Project.company),
            joinedload(StageEvent.submitted_by),
            joinedload(StageEvent.agreement),
        )
        .order_by(StageEvent.submitted_at.asc(), StageEvent.id.asc())
    )


def pending_review_count() -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(StageEvent).where(StageEvent.review_status == ReviewStatus.PENDING)
    ) or 0


def open_events(project_ids: list[int]) -> dict[int, StageEvent]:
    """The draft or pending report of each project (shown as "→签约（审核中）" on lists and cards)."""
    if not project_ids:
        return {}
    rows = db.session.scalars(
        sa.select(StageEvent).where(
            one_of(StageEvent.project_id, project_ids),
            StageEvent.review_status.in_((ReviewStatus.DRAFT, ReviewStatus.PENDING)),
        )
    )
    return {event.project_id: event for event in rows}


def project_of_lead(lead_id: int) -> Project | None:
    return db.session.scalars(sa.select(Project).where(Project.lead_id == lead_id)).first()


def attachments_by_event(events: list[StageEvent]) -> dict[int, list[Any]]:
    from crm.attachments.models import Attachment

    ids = [e.id for e in events]
    if not ids:
        return {}
    found: dict[int, list[Any]] = {}
    for file in db.session.scalars(
        sa.select(Attachment)
        .where(Attachment.record_type == StageEvent.__tablename__, Attachment.record_id.in_(ids))
        .order_by(Attachment.id)
    ):
        found.setdefault(file.record_id, []).append(file)
    return found



@company_followers.connect
def project_followers(company_id: int) -> list[tuple[str, Any]]:
    """Units tracking a project of the company (as investor), since it entered their books — no more (DESIGN §1)."""
    from crm.access.scoping import UNSCOPED
    from crm.units.models import Unit

    rows = db.session.execute(
        sa.select(Unit.name, sa.func.min(Project.tracked_since))
        .join(Unit, Unit.id == Project.unit_id)
        .where(sa.or_(Project.company_id == company_id, Project.local_company_id == company_id))
        .group_by(Unit.name)
        .execution_options(**UNSCOPED)
    )
    return [(name, since) for name, since in rows]
