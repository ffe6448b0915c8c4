"""The demo scenario's 倒排工期, monthly progress and 到位资金 (DOMAIN §d), dated relative to the load day.

- 鲁山县石材建材工业城 and 海亮(兴发)工业园 are red by the rule itself: 节点 planned in the seed's April
  (供地摘牌 and 施工许可; 施工许可) are not done.
- Started projects have 注册 … 开工 done and the later 节点 planned ahead; 尧盛针织's 主体封顶 is due
  within the week (黄), as is 海威特种布's 注册.
- Started and producing projects report monthly (recently, so they are not stale), with site photos.
- 到位资金: mostly approved, mostly 省外; one entry waits in the reviewer's queue, one was sent back.

Idempotent by natural key: a project's 节点 by kind, its reports once it has any, its fund entries by
their demo note. Dates never break the feature's rules: nothing before the project's 入库日期, nothing
done in the future, no month after the current one.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING, Callable

import sqlalchemy as sa
from werkzeug.datastructures import FileStorage

from crm.attachments.services import store
from crm.domain.calendar import anchored
from crm.domain.companies import FundingSource
from crm.domain.projects import FundPurpose, MilestoneKind, ReviewStatus
from crm.extensions import db
from crm.progress.models import FundArrival, Milestone, ProgressReport
from crm.projects.models import Project
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

K = MilestoneKind
LAND = "土地综合利用指挥部"
PLANNING = "规划建设管理指挥部"
ZONE = "鲁山县产业集聚区管委会"
BUREAU = "鲁山县招商局"
RESPONSIBLE = {
    K.REGISTRATION: BUREAU,
    K.LAND: LAND,
    K.PLANNING_PERMIT: PLANNING,
    K.CONSTRUCTION_PERMIT: PLANNING,
    K.GROUNDBREAKING: ZONE,
}


@dataclass(frozen=True)
class Node:
    kind: MilestoneKind
    planned: date  # seed date (as of 2025-05-21)
    done: date | None = None
    note: str | None = None


@dataclass(frozen=True)
class Fund:
    period_offset: int  # months before the load month (0 = this month)
    amount: str  # 万元
    source: FundingSource = FundingSource.OTHER_PROVINCE
    purpose: FundPurpose = FundPurpose.FIXED_ASSETS
    status: ReviewStatus = ReviewStatus.APPROVED
    note: str = ""
    comment: str | None = None


@dataclass(frozen=True)
class DemoProgress:
    project: str
    nodes: tuple[Node, ...] = ()
    reports: tuple[tuple[str, str], ...] = ()  # (累计完成投资 万元, 形象进度), older month first
    funds: tuple[Fund, ...] = field(default_factory=tuple)


def _started(
    registered: date | None, start: date, topping: date, equipment: date, trial: date, production: date
) -> tuple[Node, ...]:
    """注册 … 开工 done (注册 on the day the stage report says; none for a local company's 增资), the rest ahead."""
    nodes = (Node(K.REGISTRATION, registered + timedelta(days=5), registered),) if registered else ()
    return nodes + (
        Node(K.LAND, start - timedelta(days=50), start - timedelta(days=52)),
        Node(K.PLANNING_PERMIT, start - timedelta(days=30), start - timedelta(days=33)),
        Node(K.CONSTRUCTION_PERMIT, start - timedelta(days=10), start - timedelta(days=12)),
        Node(K.GROUNDBREAKING, start, start),
        Node(K.TOPPING_OUT, topping),
        Node(K.EQUIPMENT, equipment),
        Node(K.TRIAL_PRODUCTION, trial),
        Node(K.PRODUCTION, production),
    )


def _producing(registered: date, start: date, production: date) -> tuple[Node, ...]:
    """Every 节点 done, 投产 on the day of the approved stage report."""
    return (
        Node(K.REGISTRATION, registered, registered),
        Node(K.LAND, start - timedelta(days=40), start - timedelta(days=41)),
        Node(K.CONSTRUCTION_PERMIT, start - timedelta(days=8), start - timedelta(days=9)),
        Node(K.GROUNDBREAKING, start, start),
        Node(K.TOPPING_OUT, start + timedelta(days=150), start + timedelta(days=158)),
        Node(K.EQUIPMENT, production - timedelta(days=60), production - timedelta(days=55)),
        Node(K.TRIAL_PRODUCTION, production - timedelta(days=20), production - timedelta(days=18)),
        Node(K.PRODUCTION, production, production),
    )


# Seed dates follow crm/demo/projects.py (stage reports, 计划开工/投产).
D = date
PROGRESS: list[DemoProgress] = [
    DemoProgress(
        "鲁山县石材建材工业城",
        (
            Node(K.REGISTRATION, D(2025, 5, 30)),
            Node(K.LAND, D(2025, 4, 8), note="已征 5000 亩土地待报批，报批进度滞后"),
            Node(K.CONSTRUCTION_PERMIT, D(2025, 4, 12), note="待供地后办理"),
            Node(K.GROUNDBREAKING, D(2025, 4, 15)),
            Node(K.PRODUCTION, D(2027, 12, 31)),
        ),
    ),
    DemoProgress(
        "海亮(兴发)工业园",
        (
            Node(K.REGISTRATION, D(2025, 6, 15)),
            Node(K.LAND, D(2025, 3, 31), D(2025, 3, 28)),
            Node(K.PLANNING_PERMIT, D(2025, 4, 10), D(2025, 4, 9)),
            Node(K.CONSTRUCTION_PERMIT, D(2025, 4, 20), note="施工图审查未完成"),
            Node(K.GROUNDBREAKING, D(2025, 4, 30)),
            Node(K.PRODUCTION, D(2026, 12, 31)),
        ),
        funds=(Fund(2, "20000", note="演示：海亮首期资金"),),
    ),
    DemoProgress(
        "海威特种布项目",
        (
            Node(K.REGISTRATION, D(2025, 5, 27), note="港资企业注册，商务备案中"),
            Node(K.LAND, D(2025, 6, 20)),
            Node(K.GROUNDBREAKING, D(2025, 7, 1)),
            Node(K.PRODUCTION, D(2026, 6, 30)),
        ),
    ),
    DemoProgress(
        "中德纺织科技园",
        _started(D(2025, 2, 20), D(2025, 4, 18), D(2025, 10, 31), D(2026, 1, 31), D(2026, 4, 30), D(2026, 6, 30)),
        (("18000", "场地平整完成，1#、2# 厂房基础施工"), ("26500", "1#、2# 厂房钢结构吊装，3# 厂房基础开挖")),
        (
            Fund(2, "15000", note="演示：中德首期"),
            Fund(1, "12000", FundingSource.FOREIGN, note="演示：中德外方出资"),
            Fund(0, "8000", status=ReviewStatus.PENDING, note="演示：中德本月到位"),
        ),
    ),
    DemoProgress(
        "圣光保健器材科技园二期",
        _started(D(2024, 8, 5), D(2024, 11, 10), D(2025, 6, 30), D(2025, 8, 31), D(2025, 10, 31), D(2025, 12, 31)),
        (("9800", "主体结构施工至三层"), ("11200", "主体结构施工至四层，屋面施工准备")),
        (Fund(3, "5000", note="演示：圣光二期首笔"), Fund(1, "3000", purpose=FundPurpose.WORKING_CAPITAL, note="演示：圣光流动资金")),
    ),
    DemoProgress(
        "方圆碳素项目",
        _started(D(2024, 9, 2), D(2024, 12, 5), D(2025, 6, 15), D(2025, 8, 31), D(2025, 9, 30), D(2025, 10, 31)),
        (("14500", "焙烧车间主体施工"), ("16800", "焙烧车间主体完成 80%，石墨化车间基础施工")),
        (Fund(3, "8000", note="演示：方圆第一笔"), Fund(1, "6000", FundingSource.IN_CITY, note="演示：方圆第二笔")),
    ),
    DemoProgress(
        "鲁吉兰美体内衣项目",
        _started(D(2025, 1, 20), D(2025, 3, 18), D(2025, 7, 31), D(2025, 9, 15), D(2025, 10, 31), D(2025, 12, 31)),
        (("3200", "标准化厂房改造，车间地坪施工"), ("4100", "车间装修完成 70%")),
        (
            Fund(2, "2500", note="演示：鲁吉兰首笔"),
            Fund(1, "1800", purpose=FundPurpose.WORKING_CAPITAL, status=ReviewStatus.REJECTED, note="演示：鲁吉兰流动资金",
                 comment="进账单金额与填报金额不符，请核对后重新提交"),
        ),
    ),
    DemoProgress(
        "尧盛针织项目",  # 增资扩产: no 注册
        _started(None, D(2025, 4, 22), D(2025, 5, 26), D(2025, 7, 31), D(2025, 9, 30), D(2025, 12, 31)),
        (("2600", "厂房主体施工"), ("3500", "厂房主体即将封顶")),
        (Fund(1, "2000", note="演示：尧盛首笔"),),
    ),
    DemoProgress(
        "河南靖焜丝绸项目",
        _started(D(2025, 2, 26), D(2025, 4, 25), D(2025, 9, 30), D(2025, 11, 30), D(2026, 1, 31), D(2026, 3, 31)),
        (("2100", "场地平整，基础施工"), ("3300", "缫丝车间基础完成")),
        (Fund(1, "3000", FundingSource.IN_PROVINCE, note="演示：靖焜首笔"),),
    ),
    DemoProgress(
        "德兴纺织项目",
        _producing(D(2023, 11, 2), D(2024, 3, 1), D(2025, 3, 28)),
        (("31000", "一期投产，二期设备订货"), ("32500", "一期满负荷生产，二期设备陆续进场")),
        (Fund(4, "10000", note="演示：德兴增资"), Fund(2, "6000", note="演示：德兴设备款")),
    ),
    DemoProgress(
        "华商药业项目",
        _producing(D(2023, 8, 9), D(2023, 12, 1), D(2025, 4, 10)),
        (("30500", "GMP 认证完成，稳定生产"), ("31200", "新增一条口服液生产线调试")),
        (Fund(4, "12000", note="演示：华商药业首期"), Fund(2, "4000", FundingSource.IN_CITY, note="演示：华商药业二期")),
    ),
]


# --- small pictures for the demo (site photos, a bank slip), drawn without any imaging library ---------
def _png(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def site_photo(seed: int) -> bytes:
    """A sky, a steel frame and the ground: enough to see thumbnails work."""
    horizon = 70 + seed % 15

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if y > horizon:
            return (150 - (y - horizon), 120 - (y - horizon) // 2, 90)
        if (x - 20 - seed % 10) % 34 < 4 and y > 30:
            return (90, 90, 100)
        if 30 <= y <= 34 and 16 < x < 150:
            return (200, 80, 40)
        return (140 + y // 2, 180 + y // 3, 235)

    return _png(160, 120, pixel)


def bank_slip() -> bytes:
    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if y < 14:
            return (180, 30, 30)
        if y % 12 == 0 and 10 < x < 150:
            return (150, 150, 150)
        return (250, 250, 245)

    return _png(160, 100, pixel)


# --- loading -----------------------------------------------------------------------------------
def _month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def _months_before(day: date, n: int) -> str:
    index = day.year * 12 + day.month - 1 - n
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _within(day: date, project: Project) -> date:
    """Keep a demo date inside the feature's rules: nothing before the project's 入库日期."""
    return max(day, project.tracked_since)


def _load_milestones(spec: DemoProgress, project: Project, today: date, units: dict[str, int], report: "LoadReport") -> None:
    existing = set(db.session.scalars(sa.select(Milestone.kind).where(Milestone.project_id == project.id)))
    for node in spec.nodes:
        if node.kind in existing:
            continue
        done = min(_within(anchored(node.done, today), project), today) if node.done else None
        db.session.add(
            Milestone(
                project_id=project.id,
                kind=node.kind,
                planned_on=_within(anchored(node.planned, today), project),
                actual_on=done,
                responsible_unit_id=units.get(RESPONSIBLE.get(node.kind, ""), project.lead_unit_id or project.unit_id),
                note=node.note,
            )
        )
        report.add("milestones")


def _load_reports(spec: DemoProgress, project: Project, today: date, report: "LoadReport") -> None:
    if not spec.reports or db.session.scalar(sa.select(ProgressReport.id).where(ProgressReport.project_id == project.id).limit(1)):
        return
    latest_day = anchored(date(2025, 5, 18), today)  # three days before the seed's report day: fresh (绿)
    first_month = _month(project.tracked_since)
    count = len(spec.reports)
    for index, (amount, text) in enumerate(spec.reports):
        period = _months_before(latest_day, count - 1 - index)
        if period < first_month:
            continue
        row = ProgressReport(
            project_id=project.id,
            project=project,
            period=period,
            cumulative_investment=Decimal(amount),
            description=text,
            reported_by_id=project.owner_id,
        )
        db.session.add(row)
        db.session.flush()
        photo = FileStorage(BytesIO(site_photo(project.id * 7 + index)), filename=f"{period} 现场照片.png")
        store(photo, row, project.owner_id)
        report.add("progress reports")
    if project.last_progress_on is None or project.last_progress_on < latest_day:
        project.last_progress_on = latest_day


def _load_funds(spec: DemoProgress, project: Project, today: date, reviewer_id: int | None, report: "LoadReport") -> None:
    notes = set(db.session.scalars(sa.select(FundArrival.note).where(FundArrival.project_id == project.id)))
    first_month = _month(project.tracked_since)
    for fund in spec.funds:
        period = _months_before(today, fund.period_offset)
        if fund.note in notes or period < first_month:
            continue
        reviewed = fund.status in (ReviewStatus.APPROVED, ReviewStatus.REJECTED)
        reviewed_at = datetime.combine(min(today, anchored(date(2025, 5, 19), today)), time(2, 30), tzinfo=timezone.utc)
        row = FundArrival(
            project_id=project.id,
            project=project,
            period=period,
            amount=Decimal(fund.amount),
            source=fund.source,
            purpose=fund.purpose,
            note=fund.note,
            review_status=fund.status,
            submitted_by_id=project.owner_id,
            reviewed_by_id=reviewer_id if reviewed else None,
            reviewed_at=reviewed_at if reviewed else None,
            review_comment=fund.comment,
        )
        db.session.add(row)
        db.session.flush()
        store(FileStorage(BytesIO(bank_slip()), filename=f"{period} 银行进账单.png"), row, project.owner_id)
        report.add("fund arrivals")


def load_progress(report: "LoadReport", today: date) -> None:
    """Create the scenario's milestones, monthly reports (with photos) and fund entries once."""
    projects = {p.name: p for p in db.session.scalars(sa.select(Project).where(Project.name.in_({s.project for s in PROGRESS})))}
    names = set(RESPONSIBLE.values())
    units = {u.name: u.id for u in db.session.scalars(sa.select(Unit).where(Unit.name.in_(names)))}
    reviewer = db.session.scalar(sa.select(User.id).where(User.username == "reviewer"))
    for spec in PROGRESS:
        project = projects.get(spec.project)
        if project is None:
            continue
        _load_milestones(spec, project, today, units, report)
        _load_reports(spec, project, today, report)
        _load_funds(spec, project, today, reviewer, report)
    db.session.flush()
