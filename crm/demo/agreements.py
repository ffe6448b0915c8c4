"""The demo scenario's agreements (DOMAIN §d), dated relative to the day the demo is loaded.

海威纺织 signs an 投资意向书 in February and its 投资协议书 in April; 荣格集团 a 投资框架协议 in
March; 海亮 a 正式投资合同. The 石材建材工业城's investor is not known, so it has no agreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.agreements.models import Agreement
from crm.companies.models import Company
from crm.domain.agreements import AgreementType
from crm.domain.calendar import anchored
from crm.extensions import db
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

COUNTY_GOVERNMENT = "鲁山县人民政府"
ZONE_COMMITTEE = "鲁山县产业集聚区管理委员会"


@dataclass(frozen=True)
class DemoAgreement:
    company: str
    type: AgreementType
    signed: date  # as of the seed report (2025-05-21); moved to the load day by ``anchored``
    unit: str
    author: str
    number: str
    name: str
    party_a: str
    event: str | None = None
    investment: str | None = None  # 万元
    attracted: str | None = None  # 万元
    start: date | None = None
    production: date | None = None
    intensity: str | None = None  # 万元/亩
    tax_per_mu: str | None = None  # 万元/亩
    jobs: int | None = None
    notes: str | None = None


AGREEMENTS = [
    DemoAgreement(
        "海威纺织有限公司", AgreementType.INTENT, date(2025, 2, 18), "第一招商分局", "staff1", "LSYX-003",
        "海威特种布项目投资意向书", ZONE_COMMITTEE, event="县长带队赴东莞招商", investment="30000", attracted="30000",
        notes="东莞市台商商会引荐，县长带队拜访后达成 3 亿元投资意向。",
    ),
    DemoAgreement(
        "海威纺织有限公司", AgreementType.CONTRACT, date(2025, 4, 16), "第一招商分局", "staff1", "LSTZ-011",
        "海威特种布项目投资协议书", COUNTY_GOVERNMENT, event="第二期“三个一批”集中签约活动", investment="30000",
        attracted="30000", start=date(2025, 7, 1), production=date(2026, 6, 30), intensity="300", tax_per_mu="15", jobs=300,
    ),
    DemoAgreement(
        "深圳荣格集团有限公司", AgreementType.FRAMEWORK, date(2025, 3, 20), "第一招商分局", "staff1", "LSKJ-002",
        "荣格集团投资框架协议", COUNTY_GOVERNMENT, event="深圳招商推介会", notes="投资额待定，后续签订投资协议。",
    ),
    DemoAgreement(
        "海亮集团有限公司", AgreementType.CONTRACT, date(2025, 1, 16), "第二招商分局", "staff2", "LSTZ-001",
        "海亮（兴发）工业园项目投资合同", COUNTY_GOVERNMENT, event="第一期“三个一批”集中签约活动", investment="500000",
        attracted="500000", start=date(2025, 4, 30), production=date(2026, 12, 31), intensity="400", tax_per_mu="20", jobs=1500,
    ),
]


def _money(value: str | None) -> Decimal | None:
    return Decimal(value) if value is not None else None


def _day(value: date | None, today: date) -> date | None:
    return anchored(value, today) if value is not None else None


def load_agreements(report: "LoadReport", today: date) -> None:
    """Create the scenario's agreements once: one that exists (same company, type and signing day,
    or the same demo 协议编号) is left alone, so loading again — even on another day — adds nothing."""
    companies = {c.name: c for c in db.session.scalars(sa.select(Company).where(Company.name.in_({a.company for a in AGREEMENTS})))}
    units = {u.name: u for u in db.session.scalars(sa.select(Unit).where(Unit.name.in_({a.unit for a in AGREEMENTS})))}
    users = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_({a.author for a in AGREEMENTS})))}
    for spec in AGREEMENTS:
        company, unit = companies.get(spec.company), units.get(spec.unit)
        if company is None or unit is None:
            continue
        signed = anchored(spec.signed, today)
        exists = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Agreement)
            .where(
                Agreement.company_id == company.id,
                Agreement.type == spec.type,
                sa.or_(Agreement.signed_on == signed, Agreement.number == spec.number),
            )
        )
        if exists:
            continue
        author = users.get(spec.author)
        db.session.add(
            Agreement(
                type=spec.type,
                name=spec.name,
                number=spec.number,
                signed_on=signed,
                signing_event=spec.event,
                party_a=spec.party_a,
                company_id=company.id,
                investment_amount=_money(spec.investment),
                attracted_amount=_money(spec.attracted),
                planned_start_on=_day(spec.start, today),
                planned_production_on=_day(spec.production, today),
                investment_intensity=_money(spec.intensity),
                tax_per_mu=_money(spec.tax_per_mu),
                jobs=spec.jobs,
                notes=spec.notes,
                unit_id=unit.id,
                created_by_id=author.id if author else None,
            )
        )
        report.add("agreements")
    db.session.flush()
