"""Every figure the product shows comes from one definition (issue 12): under a county's 统计口径, the dashboard,
its export, the 月报 and its export, and the weekly digest give the same 1–4月 签约 — whatever the threshold,
the exclusions, and with a 增资 project counting only its added amount.

The scene is the dashboard's (tests/test_dashboard.py): county A's branch_a1 signs 纺织城 (5 亿), 增资 (a 10 亿
project adding 2 亿), 地产 (K 房地产, 20 亿), 本地扩建 (县内 money, 20 亿) and 小项目 (8 000 万) in 1–4月;
branch_a2 signs 乙分局纺织 (6 亿); county B's 90 亿 never counts for county A.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO
from typing import Any

import pytest
from openpyxl import load_workbook

from crm.reports.models import ReportSettings
from tests.test_dashboard import cells, dashboard, scene, stage_row
from tests.test_reports import monthly_row, text

# rules → (branch_a1's count, its 万元; branch_a2's count, its 万元), worked out by hand from the scene.
CASES = {
    "defaults": ({}, (2, 70000), (1, 60000)),  # 纺织城 + 增资's 2 亿; 乙分局纺织
    "a lower threshold and no source excluded": (
        {"threshold": "5000", "excluded_sources": []}, (4, 278000), (1, 60000)),  # + 小项目, 本地扩建
    "no category excluded": ({"excluded_categories": []}, (3, 270000), (1, 60000)),  # + 地产
    "a threshold above most": ({"threshold": "55000"}, (0, 0), (1, 60000)),  # 增资 counts its 2 亿 only
}


def _yi(wan: Decimal | int) -> str:
    return f"{Decimal(wan) / 10000:,.2f} 亿元"


def _book(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    return load_workbook(BytesIO(response.data))


def _unit_rows(sheet: Any) -> dict[str, tuple[Any, ...]]:
    return {str(row[0]): row for row in sheet.iter_rows(values_only=True) if row and row[0]}


@pytest.mark.parametrize("case", list(CASES))
def test_the_same_signings_everywhere(app, auth, client, session, world, case):
    rules, (a1_count, a1_total), (a2_count, a2_total) = CASES[case]
    count, total = a1_count + a2_count, a1_total + a2_total
    scene(session, world)
    session.add(ReportSettings(unit_id=world.units["county_a"].id, key="counting_rules", value=rules))
    session.commit()

    auth.login_as("leader")
    signed = cells(stage_row(dashboard(client), "signed"))
    assert signed[3:5] == [str(count), f"{total:,.2f}"], "dashboard"

    assert monthly_row(text(client, "/reports/monthly?period=2026-04"), "signed")[4:6] == [str(count), f"{total:,.2f}"], "月报"
    monthly = _book(client, "/reports/monthly.xlsx?period=2026-04")
    row = next(r for r in monthly["项目推进"].iter_rows(values_only=True) if r[0] == "签约")
    assert (row[4] or 0, row[5] or 0) == (count, total), "月报 export"
    units = _unit_rows(monthly["分单位"])
    assert units["合计"][2] == total, "月报 export, by unit"

    board = _book(client, "/reports/dashboard.xlsx?period=2026-04")
    goals = {str(r[0]): r for r in board["年度目标"].iter_rows(values_only=True) if r and r[0]}
    assert Decimal(str(goals["签约金额（万元）"][2])) == total, "dashboard export"

    from crm.access.policy import build_actor
    from crm.access.scoping import SYSTEM, scoped_as, set_scope
    from crm.digests.build import DigestCache, unit_ranking
    from crm.extensions import db
    from crm.digests.send import preview, week_of
    from crm.users.models import User

    with app.test_request_context():
        set_scope(db.session, SYSTEM)  # as the digest job runs
        kpi = {i.text: i.note for i in preview(db.session.get(User, world.users["admin"].id), "2026-W17").section("county_kpi").items}
        # Built as the digest builds it, under the chief's scope (the chief's digest shows it with the unit's news
        # of the week; the scene has none).
        chief = db.session.get(User, world.users["chief"].id)
        with scoped_as(db.session, build_actor(chief)):
            ranking = unit_ranking(chief, week_of("2026-W17"), DigestCache())
    assert kpi["签约金额（万元）"].startswith(f"{_yi(total)} / "), "digest 完成率"
    notes = {item.text.split(". ", 1)[1]: item.note for item in ranking.items}
    a1, a2 = world.units["branch_a1"].name, world.units["branch_a2"].name
    for name, (n, wan) in ((a1, (a1_count, a1_total)), (a2, (a2_count, a2_total))):
        assert notes[name] == f"签约 {n} 个 · {_yi(wan) if wan >= 10000 else f'{wan:,} 万元'}", ("digest ranking", name)
