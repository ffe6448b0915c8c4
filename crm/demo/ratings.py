"""The demo's 服务单位月评议: the county's criteria and the sheets of the 分局长 and two county leaders.

The seed names no scores, only the outcome of its Q1 季奖惩: the bottom two 服务单位 of the 行风评议 were called
out, beside 3 建设单位 and 3 slow projects. The scores here are illustrative and give that outcome in every
quarter the demo covers (the calendar quarter before the load month's, and the months of the load quarter so
far): 县自然资源局 and 县住建局 last — the seed's complaints are "土地利用报批速度慢" and "手续繁杂"."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

import sqlalchemy as sa

from crm.domain.kpi import period_of, quarter_of, shift_period
from crm.extensions import db
from crm.ratings.models import RatingCriterion, ServiceRating
from crm.units.models import Unit
from crm.users.models import User

if TYPE_CHECKING:
    from crm.demo.services import LoadReport

CRITERIA = [("服务态度", 25), ("办事效率", 30), ("政策落实", 25), ("廉洁自律", 20)]
RATERS = ("chief1", "leader", "leader2")
# 服务单位 → each rater's points per criterion (the order of CRITERIA), before a month's small shift.
SHEETS = {
    "鲁山县自然资源局": (18, 19, 20, 17),
    "鲁山县住房和城乡建设局": (19, 20, 21, 17),
    "鲁山县市场监督管理局": (22, 26, 22, 18),
    "鲁山县税务局": (23, 27, 23, 19),
    "国网鲁山县供电公司": (21, 25, 22, 18),
}
COMMENTS = {"鲁山县自然资源局": "用地预审、报批进度慢，企业反映多次跑腿", "鲁山县住房和城乡建设局": "施工许可材料要求反复，手续繁杂"}


def demo_periods(today: date) -> list[str]:
    """The months rated: those of the calendar quarter before today's, and today's quarter's before this month."""
    current = period_of(today)
    first_of_quarter = f"{today.year}-{(quarter_of(current) - 1) * 3 + 1:02d}"
    start = shift_period(first_of_quarter, -3)
    periods, period = [], start
    while period < current:
        periods.append(period)
        period = shift_period(period, 1)
    return periods


def load_ratings(report: LoadReport, today: date) -> None:
    county = db.session.scalar(sa.select(Unit).where(Unit.name == "鲁山县", Unit.parent_id.is_(None)))
    if county is None or db.session.scalar(sa.select(RatingCriterion.id).where(RatingCriterion.unit_id == county.id).limit(1)):
        return
    criteria = []
    for order, (name, max_points) in enumerate(CRITERIA):
        criterion = RatingCriterion(unit_id=county.id, name=name, max_points=Decimal(max_points), sort_order=order)
        db.session.add(criterion)
        criteria.append(criterion)
        report.add("rating criteria")
    db.session.flush()
    units = {u.name: u for u in db.session.scalars(sa.select(Unit).where(Unit.name.in_(SHEETS)))}
    raters = {u.username: u for u in db.session.scalars(sa.select(User).where(User.username.in_(RATERS)))}
    for month, period in enumerate(demo_periods(today)):
        for r, username in enumerate(RATERS):
            rater = raters[username]
            for name, base in SHEETS.items():
                shift = Decimal((month + r) % 3) / 2  # 0, 0.5 or 1 point: the raters do not agree to the point
                points = [min(Decimal(p) + shift, Decimal(c[1])) for p, c in zip(base, CRITERIA)]
                db.session.add(ServiceRating(
                    unit_id=rater.unit_id, county_id=county.id, period=period, service_unit_id=units[name].id, rater_id=rater.id,
                    points={str(c.id): f"{p:f}" for c, p in zip(criteria, points)}, total=sum(points, Decimal(0)),
                    comment=COMMENTS.get(name),
                ))
                report.add("service ratings")
    db.session.flush()
