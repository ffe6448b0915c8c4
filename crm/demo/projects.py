"""The demo scenario's projects (DOMAIN §d), with their approved stage history.

Dates are the seed's (as of 2025-05-21) moved to the load day by ``anchored``, so the two
red projects (石材建材工业城 and 海亮, planned to start in April and still not started) stay red
whatever day the demo is loaded. * amounts are the DOMAIN's illustrative ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.agreements.models import Agreement
from crm.catalog.models import IndustryChain
from crm.companies.models import Company
from crm.db import utcnow
from crm.domain.agreements import AgreementType
from crm.domain.calendar import anchored
from crm.domain.companies import FundingSource, IndustryCategory
from crm.domain.pipeline import Nature, Stage
from crm.domain.projects import ReviewStatus, Sector
from crm.extensions import db
from crm.projects.models import Project, StageEvent
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

D = date


@dataclass(frozen=True)
class DemoProject:
    name: str
    company: str
    unit: str
    owner: str
    stage: Stage
    chain: str | None
    total: int | None  # 万元
    # (stage, seed date) of each approved step after 在谈; the last one is the current stage.
    steps: tuple[tuple[Stage, date], ...]
    tracked: date
    planned_start: date | None = None
    planned_production: date | None = None
    contracted: int | None = None
    out_of_province: int | None = None
    first_phase: int | None = None
    nature: Nature = Nature.NEW
    source: FundingSource | None = FundingSource.OTHER_PROVINCE
    site: str | None = None
    land_mu: int | None = None
    construction: str | None = None
    capacity: str | None = None
    monthly_sales: int | None = None


NORTH, SOUTH = "产业集聚区北区", "产业集聚区南区"
PROJECTS = [
    DemoProject("鲁山县石材建材工业城", "鲁山县隆源投资开发有限公司", "第一招商分局", "staff1", Stage.SIGNED, "新型建材", 3_000_000,
                ((Stage.SIGNED, D(2025, 1, 20)),), D(2024, 10, 8), planned_start=D(2025, 4, 15), planned_production=D(2027, 12, 31),
                contracted=2_400_000, out_of_province=1_800_000, first_phase=800_000, source=FundingSource.OTHER_PROVINCE, site=NORTH, land_mu=5000,
                construction="石材加工、建材交易、物流仓储一体的工业城，分三期建设。"),
    DemoProject("海亮(兴发)工业园", "海亮集团有限公司", "第二招商分局", "staff2", Stage.SIGNED, "新型建材", 500_000,
                ((Stage.SIGNED, D(2025, 1, 16)),), D(2024, 11, 2), planned_start=D(2025, 4, 30), planned_production=D(2026, 12, 31),
                contracted=500_000, out_of_province=500_000, first_phase=200_000, site=NORTH, land_mu=1200,
                construction="新型建材及配套产业园。"),
    DemoProject("中德纺织科技园", "浙江中德纺织科技有限公司", "第一招商分局", "staff1", Stage.STARTED, "轻纺", 130_000,
                ((Stage.SIGNED, D(2024, 12, 10)), (Stage.REGISTERED, D(2025, 2, 20)), (Stage.STARTED, D(2025, 4, 18))), D(2024, 9, 1),
                planned_start=D(2025, 4, 1), planned_production=D(2026, 6, 30), contracted=130_000, out_of_province=100_000,
                first_phase=60_000, source=FundingSource.FOREIGN, site=SOUTH, land_mu=600),
    DemoProject("海威特种布项目", "海威纺织有限公司", "第一招商分局", "staff1", Stage.SIGNED, "轻纺", 30_000,
                ((Stage.SIGNED, D(2025, 4, 16)),), D(2025, 2, 18), planned_start=D(2025, 7, 1), planned_production=D(2026, 6, 30),
                contracted=30_000, out_of_province=30_000, first_phase=15_000, source=FundingSource.HMT, site=SOUTH, land_mu=100,
                construction="特种功能布料生产线。"),
    DemoProject("荣格集团项目", "深圳荣格集团有限公司", "第一招商分局", "staff1", Stage.TALKS, None, None, (), D(2025, 3, 1),
                construction="已签投资框架协议，投资额与产业方向待定。"),
    DemoProject("圣光保健器材科技园二期", "河南圣光集团有限公司", "第一招商分局", "staff1", Stage.STARTED, "旅游产品加工", 20_000,
                ((Stage.SIGNED, D(2024, 6, 12)), (Stage.REGISTERED, D(2024, 8, 5)), (Stage.STARTED, D(2024, 11, 10))), D(2024, 5, 1),
                planned_start=D(2024, 11, 1), planned_production=D(2025, 12, 31), contracted=20_000, first_phase=20_000,
                nature=Nature.EXPANSION, source=FundingSource.IN_PROVINCE, site=SOUTH, land_mu=80),
    DemoProject("方圆碳素项目", "平顶山方圆碳素有限公司", "第二招商分局", "staff2", Stage.STARTED, "新型建材", 30_000,
                ((Stage.SIGNED, D(2024, 7, 8)), (Stage.REGISTERED, D(2024, 9, 2)), (Stage.STARTED, D(2024, 12, 5))), D(2024, 6, 1),
                planned_start=D(2024, 12, 1), planned_production=D(2025, 10, 31), contracted=30_000, first_phase=18_000,
                source=FundingSource.IN_CITY, site=NORTH, land_mu=150),
    DemoProject("鲁吉兰美体内衣项目", "鲁吉兰美体内衣有限公司", "第一招商分局", "staff1", Stage.STARTED, "轻纺", 12_000,
                ((Stage.SIGNED, D(2024, 12, 2)), (Stage.REGISTERED, D(2025, 1, 20)), (Stage.STARTED, D(2025, 3, 18))), D(2024, 10, 20),
                planned_start=D(2025, 3, 15), planned_production=D(2025, 12, 31), contracted=12_000, out_of_province=12_000, first_phase=12_000,
                site=SOUTH, land_mu=50),
    DemoProject("尧盛针织项目", "鲁山县尧盛针织有限公司", "第一招商分局", "staff1", Stage.STARTED, "轻纺", 10_000,
                ((Stage.SIGNED, D(2025, 2, 10)), (Stage.STARTED, D(2025, 4, 22))), D(2025, 1, 5), planned_start=D(2025, 4, 20),
                planned_production=D(2025, 12, 31), contracted=10_000, first_phase=10_000, nature=Nature.CAPITAL_INCREASE,
                source=FundingSource.IN_COUNTY, site=SOUTH, land_mu=40),
    DemoProject("河南靖焜丝绸项目", "河南靖焜丝绸有限公司", "第二招商分局", "staff2", Stage.STARTED, "轻纺", 15_000,
                ((Stage.SIGNED, D(2025, 1, 8)), (Stage.REGISTERED, D(2025, 2, 26)), (Stage.STARTED, D(2025, 4, 25))), D(2024, 11, 15),
                planned_start=D(2025, 4, 20), planned_production=D(2026, 3, 31), contracted=15_000, first_phase=8_000,
                source=FundingSource.IN_PROVINCE, site=SOUTH, land_mu=60),
    DemoProject("德兴纺织项目", "河南德兴纺织有限公司", "第二招商分局", "staff2", Stage.PRODUCING, "轻纺", 35_000,
                ((Stage.SIGNED, D(2023, 9, 10)), (Stage.REGISTERED, D(2023, 11, 2)), (Stage.STARTED, D(2024, 3, 1)), (Stage.PRODUCING, D(2025, 3, 28))),
                D(2023, 8, 1), planned_start=D(2024, 3, 1), planned_production=D(2025, 3, 31), contracted=35_000, first_phase=35_000,
                source=FundingSource.IN_PROVINCE, site=SOUTH, land_mu=120, capacity="年产高档面料 3000 万米", monthly_sales=2_600),
    DemoProject("华商药业项目", "华商药业有限公司", "第二招商分局", "staff2", Stage.PRODUCING, None, 32_000,
                ((Stage.SIGNED, D(2023, 6, 18)), (Stage.REGISTERED, D(2023, 8, 9)), (Stage.STARTED, D(2023, 12, 1)), (Stage.PRODUCING, D(2025, 4, 10))),
                D(2023, 5, 1), planned_start=D(2023, 12, 1), planned_production=D(2025, 4, 30), contracted=32_000, first_phase=20_000,
                source=FundingSource.IN_PROVINCE, site=NORTH, land_mu=90, capacity="年产中成药 5000 吨", monthly_sales=1_800),
]
MONTH_FIELD = {Stage.SIGNED: "signed_month", Stage.STARTED: "start_month", Stage.PRODUCING: "production_month"}


def _money(value: int | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def load_projects(report: "LoadReport", today: date) -> None:
    """Create the scenario's projects once (by name), each with its approved stage reports."""
    existing = set(db.session.scalars(sa.select(Project.name)))
    companies = {c.name: c for c in db.session.scalars(sa.select(Company).where(Company.name.in_({p.company for p in PROJECTS})))}
    units = {u.name: u for u in db.session.scalars(sa.select(Unit).where(Unit.name.in_({p.unit for p in PROJECTS})))}
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    chains = {c.name: c for c in db.session.scalars(sa.select(IndustryChain))}
    reviewer = users.get("reviewer")
    for spec in PROJECTS:
        company, unit, owner = companies.get(spec.company), units.get(spec.unit), users.get(spec.owner)
        if spec.name in existing or company is None or unit is None or owner is None:
            continue
        last_day = anchored(spec.steps[-1][1], today) if spec.steps else anchored(spec.tracked, today)
        project = Project(
            name=spec.name, company_id=company.id, unit_id=unit.id, owner_id=owner.id, stage=spec.stage, stage_since=last_day,
            nature=spec.nature, tracked_since=anchored(spec.tracked, today), total_investment=_money(spec.total),
            first_phase_investment=_money(spec.first_phase), contracted_amount=_money(spec.contracted),
            out_of_province_amount=_money(spec.out_of_province), funding_source=spec.source,
            industry_category=IndustryCategory.C if spec.chain else None, sector=Sector.SECONDARY,
            chain_id=chains[spec.chain].id if spec.chain in chains else None, site=spec.site, land_mu=_money(spec.land_mu),
            construction=spec.construction, planned_start_on=anchored(spec.planned_start, today) if spec.planned_start else None,
            planned_production_on=anchored(spec.planned_production, today) if spec.planned_production else None,
            capacity=spec.capacity, monthly_sales=_money(spec.monthly_sales), last_progress_on=last_day,
        )
        if any(stage is Stage.REGISTERED for stage, _day in spec.steps):
            project.registered_name = company.name
            project.registration_number = company.credit_code or "410423000000000"
            project.registered_capital = company.registered_capital or _money(spec.first_phase)
            project.legal_representative = "法定代表人"
        db.session.add(project)
        db.session.flush()
        previous = Stage.TALKS
        for stage, seed_day in spec.steps:
            day = anchored(seed_day, today)
            month = day.strftime("%Y-%m")
            if stage in MONTH_FIELD:
                setattr(project, MONTH_FIELD[stage], month)
            event = StageEvent(
                project_id=project.id, from_stage=previous, to_stage=stage, period=month, review_status=ReviewStatus.APPROVED,
                total_investment=project.total_investment, contracted_amount=project.contracted_amount,
                submitted_by_id=owner.id, submitted_at=utcnow(), reviewed_by_id=reviewer.id if reviewer else None,
                reviewed_at=utcnow() if reviewer else None, agreement_id=_contract_id(company.id) if stage is Stage.SIGNED else None,
            )
            db.session.add(event)
            previous = stage
        report.add("projects")
    db.session.flush()
    _link_agreements()


def _contract_id(company_id: int) -> int | None:
    return db.session.scalar(
        sa.select(Agreement.id).where(Agreement.company_id == company_id, Agreement.type == AgreementType.CONTRACT).limit(1)
    )


def _link_agreements() -> None:
    """The demo's agreements belong to the project of the same investor (荣格's 框架协议 flags its 在谈 project)."""
    projects = {p.company_id: p for p in db.session.scalars(sa.select(Project).where(Project.name.in_({p.name for p in PROJECTS})))}
    for agreement in db.session.scalars(sa.select(Agreement).where(Agreement.company_id.in_(projects), Agreement.project_id.is_(None))):
        agreement.project_id = projects[agreement.company_id].id
    db.session.flush()

