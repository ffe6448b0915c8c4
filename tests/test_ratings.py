"""服务单位月评议 (issue 16): raters score on the county's criteria, bad input stays in the form with its message,
the county roles read the results, and the quarter's bottom two reach 季奖惩 and its 通报 (records:
tests/world_parts/ratings.py)."""

from __future__ import annotations

import io
from decimal import Decimal

import sqlalchemy as sa
from docx import Document

from crm.clock import local_today
from crm.domain.kpi import quarter_of
from crm.domain.ratings import rating_month
from crm.ratings.models import RatingCriterion, ServiceRating


def _text(response) -> str:
    return response.get_data(as_text=True)


def _today(app):
    with app.app_context():
        return local_today()


def _criterion(world) -> str:
    return f"c_{world.records['rating_criterion']}"


def test_a_bad_score_is_refused_next_to_its_field_and_what_was_typed_stays(client, login_as, world, session):
    login_as("leader")
    url = f"/ratings/{world.records['service_a']}"
    assert "服务态度（满分 50）" in _text(client.get(url))
    for typed, message in (("51", "不能超过满分 50 分"), ("-1", "分数不能为负"), ("12.3", "分数以 0.5 分为单位"),
                           ("很好", "请输入分数，例如 27.5"), ("", "请打分")):
        response = client.post(url, data={_criterion(world): typed, "comment": "窗口服务要加强"})
        page = _text(response)
        assert response.status_code == 400 and message in page, typed
        assert "窗口服务要加强" in page and (f'value="{typed}"' in page or not typed)
    assert session.scalar(sa.select(sa.func.count()).select_from(ServiceRating).where(ServiceRating.rater_id == world.users["leader"].id)) == 0


def test_raters_score_and_the_county_roles_read_the_mean(app, client, login_as, world, auth, session):
    period = rating_month(_today(app))
    login_as("leader")
    response = client.post(f"/ratings/{world.records['service_a']}", data={_criterion(world): "３０", "comment": "用地报批慢"})
    assert response.status_code == 302
    sheet = session.scalars(sa.select(ServiceRating).where(ServiceRating.rater_id == world.users["leader"].id)).one()
    assert (sheet.total, sheet.period, sheet.unit_id, sheet.county_id) == (Decimal("30.0"), period, world.users["leader"].unit_id,
                                                                            world.units["county_a"].id)
    assert "30" in _text(client.get("/ratings/"))  # the leader's own sheet, and the results
    auth.logout()
    login_as("reviewer")
    page = _text(client.get("/ratings/"))
    assert "甲县自然资源局" in page and "35" in page and "已有 2 位评议人打分" in page  # (40 + 30) / 2
    assert "乙县自然资源局" not in page
    assert client.get("/ratings/results.xlsx").status_code == 200
    auth.logout()
    login_as("chief")
    page = _text(client.get("/ratings/"))
    assert "我的评议" in page and "40" in page and "评议结果" not in page  # a rater, not a reader of results


def test_a_sheet_saved_by_someone_meanwhile_is_not_overwritten_unseen(client, login_as, world, session):
    login_as("chief")
    url = f"/ratings/{world.records['service_a']}"
    client.get(url)
    sheet = session.get(ServiceRating, world.records["rating"])
    sheet.total = Decimal(41)
    session.commit()  # a second tab saved first: version 2
    response = client.post(url, data={_criterion(world): "45", "version": "1"})
    assert response.status_code == 400 and "该记录已被他人修改" in _text(response)
    session.expire_all()
    assert session.get(ServiceRating, world.records["rating"]).total == Decimal(41)


def test_the_county_sets_its_criteria(client, login_as, world, session):
    login_as("reviewer")
    assert client.post("/ratings/criteria", data={"name": "办事效率", "max_points": "30", "sort_order": "1"}).status_code == 302
    response = client.post("/ratings/criteria", data={"name": "服务态度", "max_points": "20"})
    assert response.status_code == 400 and "已有同名的评议内容" in _text(response)
    response = client.post("/ratings/criteria", data={"name": "廉洁", "max_points": "0"})
    assert response.status_code == 400 and "满分应在 0.5 到 100 之间" in _text(response) and 'value="廉洁"' in _text(response)
    rows = session.scalars(sa.select(RatingCriterion).where(RatingCriterion.unit_id == world.units["county_a"].id)).all()
    assert sorted((r.name, r.max_points) for r in rows) == [("办事效率", Decimal("30.0")), ("服务态度", Decimal("50.0"))]
    page = _text(client.get("/ratings/criteria"))
    assert "80" in page  # 启用项合计


def test_the_quarters_bottom_two_are_named_in_jiangcheng_and_its_notice(app, client, login_as, world, session):
    from crm.units.models import Unit
    from crm.domain.units import UnitType

    county = world.units["county_a"].id
    today = _today(app)
    period = rating_month(today)
    criterion = world.records["rating_criterion"]
    for name, points in (("甲县住建局", 20), ("甲县税务局", 45), ("甲县供电公司", 30)):
        unit = Unit(name=name, type=UnitType.SERVICE, parent_id=county)
        session.add(unit)
        session.flush()
        session.add(ServiceRating(unit_id=world.users["leader"].unit_id, county_id=county, period=period, service_unit_id=unit.id,
                                  rater_id=world.users["leader"].id, points={str(criterion): str(points)}, total=Decimal(points)))
    session.commit()
    login_as("reviewer")
    year, quarter = int(period[:4]), quarter_of(period)
    page = _text(client.get(f"/reports/ranking/quarter?year={year}&quarter={quarter}"))
    card = page[page.index('data-testid="service-bottom"'):]
    assert card.index("甲县住建局") < card.index("甲县供电公司") and "甲县自然资源局" not in card[:card.index("</ul>")]
    notice = client.get(f"/reports/ranking/quarter/notice.docx?year={year}&quarter={quarter}")
    text = "\n".join(p.text for p in Document(io.BytesIO(notice.data)).paragraphs)
    assert "行风评议后两名的服务单位" in text and "甲县住建局：季度评议得分 20.00 分" in text and "甲县供电公司" in text
