"""倒排工期 milestones and monthly progress reports: rules, pages, photos, the project page section.

The world's branch_a1 project (``progress_project``, 入库 2024-01-01) has a 主体封顶 节点 planned in
2099, a 2025-06 report (累计 12 000 万元) with a photo and a pending fund entry.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.attachments.models import Attachment
from crm.domain.pipeline import Stage
from crm.domain.projects import MilestoneKind, MilestoneStatus
from crm.progress.models import Milestone, ProgressReport
from crm.progress.queries import milestone_rows
from crm.projects.models import Project
from tests.factories import new_project
from tests.helpers import count_statements
from tests.world import TINY_PNG
from tests.world_parts.progress import TRACKED_SINCE

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
UNDER_WAY = {"stage": Stage.STARTED, "tracked_since": TRACKED_SINCE}  # a project as far along as progress_project


@pytest.fixture
def today(app):  # type: ignore[no-untyped-def]
    from crm.clock import local_today

    with app.app_context():
        return local_today()


def month(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def next_month(day: date) -> str:
    index = day.year * 12 + day.month
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def milestone_form(**overrides) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {"kind": "registration", "planned_on": "2024-03-01", "actual_on": "", "responsible_unit_id": "", "note": ""}
    data.update(overrides)
    return data


def milestones(session, project_id: int) -> list[Milestone]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(sa.select(Milestone).where(Milestone.project_id == project_id)))


# --- the status rule ---------------------------------------------------------------------------
def test_statuses_follow_the_order_of_the_nodes():
    today = date(2025, 5, 21)
    rows = milestone_rows(
        [
            Milestone(kind=MilestoneKind.GROUNDBREAKING, planned_on=date(2025, 7, 1)),
            Milestone(kind=MilestoneKind.REGISTRATION, planned_on=date(2025, 3, 1), actual_on=date(2025, 3, 5)),
            Milestone(kind=MilestoneKind.LAND, planned_on=date(2025, 6, 1)),
            Milestone(kind=MilestoneKind.PRODUCTION, planned_on=date(2025, 5, 1)),
        ],
        today,
    )
    kinds = [row.milestone.kind for row in rows]
    assert kinds == [MilestoneKind.REGISTRATION, MilestoneKind.LAND, MilestoneKind.GROUNDBREAKING, MilestoneKind.PRODUCTION]
    statuses = [row.status for row in rows]
    # 注册 done; 供地摘牌 is next, so under way; 开工 waits for 供地摘牌; 投产's date passed: 逾期 whatever the order.
    assert statuses == [MilestoneStatus.DONE, MilestoneStatus.IN_PROGRESS, MilestoneStatus.NOT_STARTED, MilestoneStatus.OVERDUE]
    assert [row.due_soon for row in rows] == [False, False, False, False]
    soon = milestone_rows([Milestone(kind=MilestoneKind.LAND, planned_on=today + timedelta(days=7))], today)
    assert soon[0].due_soon and not soon[0].overdue


# --- adding, editing, deleting ----------------------------------------------------------------
def test_staff_adds_a_milestone_shown_with_its_status_on_the_project_page(auth, client, session, world, today):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    land = world.units["county_a"].id  # any active unit of the county may answer for a 节点
    response = client.post(
        f"/projects/{project_id}/milestones/new",
        data=milestone_form(kind="land", planned_on=(today - timedelta(days=3)).isoformat(), responsible_unit_id=str(land), note="待报批"),
    )
    assert response.status_code == 302 and response.headers["Location"].endswith("#milestones")
    added = [m for m in milestones(session, project_id) if m.kind is MilestoneKind.LAND][0]
    assert added.responsible_unit_id == land and added.note == "待报批" and added.actual_on is None
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "供地摘牌" in page and "逾期" in page and "table-danger" in page and "1 个节点逾期" in page
    assert "主体封顶" in page and "未开始" in page  # waits for 供地摘牌
    assert "甲县" in page


def test_a_unit_of_another_county_is_not_on_the_list(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    form_page = client.get(f"/projects/{project_id}/milestones/new").get_data(as_text=True)
    assert "甲县第二招商分局" in form_page and "乙县第一招商分局" not in form_page
    response = client.post(
        f"/projects/{project_id}/milestones/new", data=milestone_form(responsible_unit_id=str(world.units["branch_b1"].id))
    )
    assert response.status_code == 400 and "请从列表中选择" in response.get_data(as_text=True)
    assert len(milestones(session, project_id)) == 1


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"planned_on": "2023-12-31"}, "日期不能早于项目入库日期（2024-01-01）"),
        ({"actual_on": "2023-12-31"}, "日期不能早于项目入库日期（2024-01-01）"),
        ({"planned_on": ""}, "请填写日期"),
        ({"planned_on": "明天"}, "请输入日期，例如 2025-04-18"),
        ({"kind": "topping_out"}, "该项目已有“主体封顶”节点，请编辑原节点"),
        ({"kind": "demolition"}, "请从列表中选择"),
    ],
)
def test_bad_milestones_are_refused_and_what_was_typed_stays(auth, client, session, world, overrides, message):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    response = client.post(f"/projects/{project_id}/milestones/new", data=milestone_form(note="保留这句备注", **overrides))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "保留这句备注" in page
    assert len(milestones(session, project_id)) == 1


def test_an_actual_date_cannot_be_in_the_future(auth, client, session, world, today):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    tomorrow = (today + timedelta(days=1)).isoformat()
    response = client.post(f"/projects/{project_id}/milestones/new", data=milestone_form(actual_on=tomorrow))
    assert response.status_code == 400
    assert f"实际完成日期不能晚于今天（{today.isoformat()}）" in response.get_data(as_text=True)
    ok = client.post(f"/projects/{project_id}/milestones/new", data=milestone_form(actual_on=today.isoformat()))
    assert ok.status_code == 302


def test_the_project_entry_day_itself_is_allowed(auth, client, session, world):
    auth.login_as("staff")
    response = client.post(f"/projects/{world.records['progress_project']}/milestones/new", data=milestone_form(planned_on="2024-01-01"))
    assert response.status_code == 302


def test_editing_marks_a_milestone_done_and_a_stale_edit_is_refused(auth, client, session, world, today):
    auth.login_as("chief")
    milestone_id = world.records["progress_milestone"]
    form = client.get(f"/milestones/{milestone_id}/edit").get_data(as_text=True)
    assert "2099-06-30" in form and 'name="version" type="hidden" value="1"' in form
    done = milestone_form(kind="topping_out", planned_on="2099-06-30", actual_on=today.isoformat(), version="1")
    assert client.post(f"/milestones/{milestone_id}/edit", data=done).status_code == 302
    session.expire_all()
    assert session.get(Milestone, milestone_id).actual_on == today
    stale = client.post(f"/milestones/{milestone_id}/edit", data={**done, "note": "迟到的修改", "version": "1"})
    assert stale.status_code == 400 and "已被他人修改" in stale.get_data(as_text=True)
    assert "迟到的修改" in stale.get_data(as_text=True)
    session.expire_all()
    assert session.get(Milestone, milestone_id).note is None


def test_only_a_milestone_not_done_can_be_deleted(auth, client, session, world, today):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    client.post(f"/projects/{project_id}/milestones/new", data=milestone_form(actual_on=today.isoformat()))
    done = [m for m in milestones(session, project_id) if m.kind is MilestoneKind.REGISTRATION][0]
    refused = client.post(f"/milestones/{done.id}/delete", follow_redirects=True)
    assert "已完成的节点不能删除" in refused.get_data(as_text=True)
    assert len(milestones(session, project_id)) == 2
    assert client.post(f"/milestones/{world.records['progress_milestone']}/delete").status_code == 302
    assert [m.kind for m in milestones(session, project_id)] == [MilestoneKind.REGISTRATION]


def test_county_roles_read_but_do_not_change_milestones(auth, client, world):
    project_id = world.records["progress_project"]
    for role in ("reviewer", "leader", "admin"):
        auth.login_as(role)
        page = client.get(f"/projects/{project_id}").get_data(as_text=True)
        assert "主体封顶" in page and "添加节点" not in page and "填报到位资金" not in page
        assert client.post(f"/projects/{project_id}/milestones/new", data=milestone_form()).status_code == 403


# --- 倒排工期 on one form ------------------------------------------------------------------------
def schedule_data(stamp: str, **dates: str) -> dict[str, str]:
    data = {f"planned_{kind.value}": "" for kind in MilestoneKind}
    data.update({f"planned_{k}": v for k, v in dates.items()})
    data["stamp"] = stamp
    return data


def current_stamp(client, project_id: int) -> str:  # type: ignore[no-untyped-def]
    import re

    page = client.get(f"/projects/{project_id}/schedule").get_data(as_text=True)
    return re.search(r'name="stamp" type="hidden" value="([^"]*)"', page).group(1)


def test_the_schedule_sets_several_planned_dates_at_once(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    stamp = current_stamp(client, project_id)
    response = client.post(
        f"/projects/{project_id}/schedule",
        data=schedule_data(stamp, registration="2024-02-01", land="2024-05-01", topping_out="2099-07-31"),
    )
    assert response.status_code == 302
    by_kind = {m.kind: m.planned_on for m in milestones(session, project_id)}
    assert by_kind == {
        MilestoneKind.REGISTRATION: date(2024, 2, 1),
        MilestoneKind.LAND: date(2024, 5, 1),
        MilestoneKind.TOPPING_OUT: date(2099, 7, 31),
    }
    # The form was rendered before that change: refused, nothing changed.
    stale = client.post(f"/projects/{project_id}/schedule", data=schedule_data(stamp, production="2099-12-31"))
    assert stale.status_code == 400 and "节点已被他人修改" in stale.get_data(as_text=True)
    assert len(milestones(session, project_id)) == 3


def test_the_schedule_refuses_a_date_before_the_project_existed(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    stamp = current_stamp(client, project_id)
    response = client.post(f"/projects/{project_id}/schedule", data=schedule_data(stamp, registration="2024-02-01", land="2023-06-01"))
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "日期不能早于项目入库日期（2024-01-01）" in page
    assert "2024-02-01" in page  # what was typed stays
    assert len(milestones(session, project_id)) == 1


# --- a 服务专班 member from another unit ---------------------------------------------------------
def test_a_team_member_from_another_unit_records_progress(app, auth, client, session, world, today):
    from crm.assignments.models import TeamMember

    project_id = new_project(session, world, name="专班测试项目", **UNDER_WAY).id
    session.commit()
    auth.login_as("staff_a2")
    assert client.get(f"/projects/{project_id}/milestones/new").status_code == 404
    session.add(TeamMember(project_id=project_id, user_id=world.users["staff_a2"].id, entered_on=today))
    session.commit()
    assert client.post(f"/projects/{project_id}/milestones/new", data=milestone_form()).status_code == 302
    report = client.post(f"/projects/{project_id}/progress/new", data={"period": month(today), "description": "专班代为填报"})
    assert report.status_code == 302
    fund = client.post(
        f"/projects/{project_id}/funds/new",
        data={"period": month(today), "amount": "100", "source": "other_province", "purpose": "fixed_assets"},
    )
    assert fund.status_code == 302
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "专班代为填报" in page and "审核中" in page
    # Leaving the team ends it.
    member = session.scalars(sa.select(TeamMember).where(TeamMember.project_id == project_id)).one()
    member.exited_on = today
    session.commit()
    assert client.get(f"/projects/{project_id}").status_code == 404


# --- monthly progress ---------------------------------------------------------------------------
def report_form(**overrides) -> dict:  # type: ignore[no-untyped-def,type-arg]
    data = {"period": "2025-07", "cumulative_investment": "15,000", "description": "主体钢结构完成 80%"}
    data.update(overrides)
    return data


def reports(session, project_id: int) -> list[ProgressReport]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(sa.select(ProgressReport).where(ProgressReport.project_id == project_id).order_by(ProgressReport.period)))


def test_a_report_with_photos_updates_the_project_and_shows_thumbnails(auth, client, session, world, today):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    data = report_form(files=[(io.BytesIO(TINY_PNG), "一号厂房.png"), (io.BytesIO(TINY_PNG), "二号厂房.png")])
    response = client.post(f"/projects/{project_id}/progress/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    new = reports(session, project_id)[-1]
    assert new.period == "2025-07" and new.cumulative_investment == Decimal("15000") and new.reported_by_id == world.users["staff"].id
    assert session.get(Project, project_id).last_progress_on == today
    photos = session.scalars(sa.select(Attachment).where(Attachment.record_type == "project_progress", Attachment.record_id == new.id)).all()
    assert sorted(p.original_name for p in photos) == ["一号厂房.png", "二号厂房.png"]
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    src = f"/progress/{new.id}/photos/{photos[0].id}"
    assert f'<img src="{src}"' in page and "主体钢结构完成 80%" in page and "15,000.00 万元" in page
    served = client.get(src)
    assert served.status_code == 200 and served.data == TINY_PNG and served.mimetype == "image/png"
    auth.login_as("staff_a2")
    assert client.get(src).status_code == 404


def test_a_pdf_is_not_a_photo_and_nothing_is_kept(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    before = session.scalar(sa.select(sa.func.count()).select_from(Attachment))
    data = report_form(description="不要丢", files=[(io.BytesIO(TINY_PNG), "好.png"), (io.BytesIO(PDF), "进账单.pdf")])
    response = client.post(f"/projects/{project_id}/progress/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "照片只能是 JPG 或 PNG 图片（进账单.pdf 不是）" in page
    assert "不要丢" in page and "15,000" in page
    assert len(reports(session, project_id)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == before


def test_a_photo_upload_that_fails_later_keeps_nothing(app, auth, client, session, world):
    """The second file passes the picture check but the store refuses it (PNG content named .jpg) after the
    first was written: the report, both rows and the written file all go."""
    from crm.attachments.services import storage_root

    auth.login_as("staff")
    project_id = world.records["progress_project"]
    before = session.scalar(sa.select(sa.func.count()).select_from(Attachment))
    with app.app_context():
        root = storage_root()
    files_before = {p for p in root.rglob("*") if p.is_file()}
    data = report_form(files=[(io.BytesIO(TINY_PNG), "好.png"), (io.BytesIO(TINY_PNG), "错.jpg")])
    response = client.post(f"/projects/{project_id}/progress/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 400 and "与扩展名 .jpg 不符" in response.get_data(as_text=True)
    assert len(reports(session, project_id)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == before
    assert {p for p in root.rglob("*") if p.is_file()} == files_before


@pytest.mark.parametrize(
    "period,message",
    [
        ("2023-12", "月份不能早于项目入库月份（2024-01）"),
        ("2025-06", "2025-06 已有进展记录，请编辑该月的记录"),
        ("2025-13", "请输入月份，例如 2025-04"),
        ("", "请填写月份"),
    ],
)
def test_report_months_are_checked(auth, client, session, world, period, message):
    auth.login_as("staff")
    response = client.post(f"/projects/{world.records['progress_project']}/progress/new", data=report_form(period=period))
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert len(reports(session, world.records["progress_project"])) == 1


def test_no_report_for_a_future_month(auth, client, session, world, today):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    response = client.post(f"/projects/{project_id}/progress/new", data=report_form(period=next_month(today)))
    assert response.status_code == 400 and f"不能填报未来的月份（本月是 {month(today)}）" in response.get_data(as_text=True)
    assert client.post(f"/projects/{project_id}/progress/new", data=report_form(period=month(today))).status_code == 302


def test_the_description_is_required(auth, client, session, world):
    auth.login_as("staff")
    response = client.post(f"/projects/{world.records['progress_project']}/progress/new", data=report_form(description="  "))
    assert response.status_code == 400 and "必填项" in response.get_data(as_text=True)


def test_cumulative_investment_never_goes_down(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    down = client.post(f"/projects/{project_id}/progress/new", data=report_form(cumulative_investment="11999.99"))
    assert down.status_code == 400
    assert "累计完成投资只增不减：不能少于 2025-06 已报的 12,000.00 万元" in down.get_data(as_text=True)
    # An earlier month cannot claim more than a later one either.
    up = client.post(f"/projects/{project_id}/progress/new", data=report_form(period="2025-05", cumulative_investment="12500"))
    assert up.status_code == 400 and "不能多于之后 2025-06 已报的 12,000.00 万元" in up.get_data(as_text=True)
    assert client.post(f"/projects/{project_id}/progress/new", data=report_form(cumulative_investment="12000")).status_code == 302
    assert client.post(f"/projects/{project_id}/progress/new", data=report_form(period="2025-05", cumulative_investment="")).status_code == 302
    negative = client.post(f"/projects/{project_id}/progress/new", data=report_form(period="2025-04", cumulative_investment="-1"))
    assert negative.status_code == 400 and "累计完成投资不能为负数" in negative.get_data(as_text=True)
    assert [r.period for r in reports(session, project_id)] == ["2025-05", "2025-06", "2025-07"]


def test_editing_a_report_checks_against_its_neighbours_and_versions(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    client.post(f"/projects/{project_id}/progress/new", data=report_form(cumulative_investment="20000"))
    report_id = world.records["progress_report"]
    too_much = client.post(f"/progress/{report_id}/edit", data=report_form(period="2025-06", cumulative_investment="20000.01", version="1"))
    assert too_much.status_code == 400 and "不能多于之后 2025-07 已报的 20,000.00 万元" in too_much.get_data(as_text=True)
    ok = client.post(f"/progress/{report_id}/edit", data=report_form(period="2025-06", cumulative_investment="19000", description="改过", version="1"))
    assert ok.status_code == 302
    stale = client.post(f"/progress/{report_id}/edit", data=report_form(period="2025-06", description="旧页面", version="1"))
    assert stale.status_code == 400 and "已被他人修改" in stale.get_data(as_text=True)
    session.expire_all()
    assert session.get(ProgressReport, report_id).description == "改过"


def test_photos_are_added_and_deleted_on_the_report_page(auth, client, session, world):
    auth.login_as("staff")
    report_id = world.records["progress_report"]
    page = client.get(f"/progress/{report_id}").get_data(as_text=True)
    assert "现场照片.png" in page and "添加照片" in page
    empty = client.post(f"/progress/{report_id}/photos", data={}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "请选择要上传的照片" in empty.get_data(as_text=True)
    pdf = client.post(f"/progress/{report_id}/photos", data={"files": [(io.BytesIO(PDF), "a.pdf")]}, content_type="multipart/form-data")
    assert pdf.status_code == 400 and "照片只能是 JPG 或 PNG 图片" in pdf.get_data(as_text=True)
    added = client.post(f"/progress/{report_id}/photos", data={"files": [(io.BytesIO(TINY_PNG), "新.png")]}, content_type="multipart/form-data")
    assert added.status_code == 302
    photo_id = world.records["progress_photo"]
    assert client.post(f"/progress/{report_id}/photos/{photo_id}/delete").status_code == 302
    session.expire_all()
    names = session.scalars(sa.select(Attachment.original_name).where(Attachment.record_type == "project_progress", Attachment.record_id == report_id)).all()
    assert names == ["新.png"]
    auth.login_as("leader")
    page = client.get(f"/progress/{report_id}").get_data(as_text=True)
    assert "新.png" in page and "添加照片" not in page


def test_the_project_page_reads_a_fixed_number_of_queries(app, auth, client, session, world, today):
    """More 节点, reports, photos and fund entries do not mean more queries."""
    from crm.domain.companies import FundingSource
    from crm.domain.projects import FundPurpose, ReviewStatus
    from crm.progress.models import FundArrival

    small, large = new_project(session, world, name="少", **UNDER_WAY).id, new_project(session, world, name="多", **UNDER_WAY).id
    session.commit()
    for project_id, n in ((small, 1), (large, 5)):
        kinds = list(MilestoneKind)[:n]
        session.add_all(Milestone(project_id=project_id, kind=k, planned_on=date(2099, 1, 1), responsible_unit_id=world.units[["county_a","bureau_a","branch_a1","branch_a2","squad_a1"][i]].id) for i, k in enumerate(kinds))
        session.add_all(ProgressReport(project_id=project_id, period=f"2025-0{i + 1}", description="x", reported_by_id=world.users["staff"].id) for i in range(n))
        session.add_all(
            FundArrival(project_id=project_id, period="2025-01", amount=Decimal(1), source=FundingSource.OTHER_PROVINCE,
                        purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.PENDING, submitted_by_id=world.users["staff"].id)
            for _ in range(n)
        )
    session.commit()

    def count_queries(project_id: int) -> int:
        client.get(f"/projects/{project_id}")  # warm, as the second is (the cached figures, e.g. the 审核 badge)
        with count_statements(app) as seen:
            assert client.get(f"/projects/{project_id}").status_code == 200
        return len(seen)

    auth.login_as("reviewer")
    few, many = count_queries(small), count_queries(large)
    assert few == many, (few, many)
