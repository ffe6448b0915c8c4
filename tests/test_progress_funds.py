"""到位资金: entries, evidence, review (approve / reject with a comment / resubmit), computed totals and
资金到位率, the functions other features use, the reviewer's queue.

The world's branch_a1 project (``progress_project``, 合同引资额 50 000 万元, 入库 2024-01-01) has one
entry of 3 000 万元 for 2025-06 waiting for review, with a bank slip; so do its branch_a2 and county B twins.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from crm.attachments.models import Attachment
from crm.domain.companies import FundingSource
from crm.domain.projects import FundPurpose, ReviewStatus
from crm.progress.models import FundArrival
from tests.factories import new_project
from tests.helpers import count_statements
from tests.test_progress import PDF, UNDER_WAY, month, next_month, today  # noqa: F401  (fixture)
from tests.world import TINY_PNG


def fund_form(**overrides) -> dict:  # type: ignore[no-untyped-def,type-arg]
    data = {"period": "2025-07", "amount": "5,000.50", "source": "other_province", "purpose": "fixed_assets", "note": "首期设备款"}
    data.update(overrides)
    return data


def funds(session, project_id: int) -> list[FundArrival]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.scalars(sa.select(FundArrival).where(FundArrival.project_id == project_id).order_by(FundArrival.id)))


def add_fund(session, project_id: int, user_id: int, amount: str, status: ReviewStatus, period: str = "2025-03", **fields) -> int:  # type: ignore[no-untyped-def]
    fund = FundArrival(
        project_id=project_id, period=period, amount=Decimal(amount), source=fields.pop("source", FundingSource.OTHER_PROVINCE),
        purpose=FundPurpose.FIXED_ASSETS, review_status=status, submitted_by_id=user_id, **fields,
    )
    session.add(fund)
    session.commit()
    return fund.id


# --- entries --------------------------------------------------------------------------------
def test_an_entry_waits_for_review_and_is_shown_apart(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    data = fund_form(files=[(io.BytesIO(PDF), "进账单.pdf"), (io.BytesIO(TINY_PNG), "回单.png")])
    response = client.post(f"/projects/{project_id}/funds/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    new = funds(session, project_id)[-1]
    assert new.review_status is ReviewStatus.PENDING and new.amount == Decimal("5000.50")
    assert new.submitted_by_id == world.users["staff"].id and new.source is FundingSource.OTHER_PROVINCE
    evidence = session.scalars(sa.select(Attachment.original_name).where(Attachment.record_type == "fund_arrivals", Attachment.record_id == new.id)).all()
    assert sorted(evidence) == ["回单.png", "进账单.pdf"]
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    # Nothing approved yet: 累计到位资金 0, the two entries (3 000 + 5 000.50) pending, shown apart.
    assert 'data-testid="funds-approved">0.00 万元' in page
    assert 'data-testid="funds-pending">8,000.50 万元' in page
    assert 'data-testid="funds-rate">0.00%' in page
    assert "审核中" in page and "审核通过" not in page  # editors get no review buttons


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"amount": "0"}, "到位金额必须大于 0"),
        ({"amount": "-100"}, "到位金额必须大于 0"),
        ({"amount": ""}, "请填写金额"),
        ({"amount": "十万"}, "请输入数字，例如 30000"),
        ({"amount": "1.005"}, "最多保留两位小数"),
        ({"amount": "1000000000000"}, "金额过大（须小于 10^12 万元）"),
        ({"period": "2023-12"}, "月份不能早于项目入库月份（2024-01）"),
        ({"period": "2025-7x"}, "请输入月份，例如 2025-04"),
        ({"source": "mars"}, "请从列表中选择"),
        ({"purpose": ""}, "请从列表中选择"),
    ],
)
def test_bad_entries_are_refused_and_nothing_is_stored(auth, client, session, world, overrides, message):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    before = session.scalar(sa.select(sa.func.count()).select_from(Attachment))
    data = fund_form(note="保留备注", **overrides)
    data["files"] = [(io.BytesIO(PDF), "进账单.pdf")]
    response = client.post(f"/projects/{project_id}/funds/new", data=data, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and message in page
    assert "保留备注" in page
    assert len(funds(session, project_id)) == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment)) == before


def test_the_largest_amount_below_the_ceiling_is_taken(auth, client, session, world):
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    assert client.post(f"/projects/{project_id}/funds/new", data=fund_form(amount="999999999999.99")).status_code == 302
    assert funds(session, project_id)[-1].amount == Decimal("999999999999.99")


def test_no_entry_for_a_future_month(auth, client, session, world, today):  # noqa: F811
    auth.login_as("staff")
    project_id = world.records["progress_project"]
    response = client.post(f"/projects/{project_id}/funds/new", data=fund_form(period=next_month(today)))
    assert response.status_code == 400 and "不能填报未来的月份" in response.get_data(as_text=True)
    assert client.post(f"/projects/{project_id}/funds/new", data=fund_form(period=month(today))).status_code == 302


def test_evidence_must_be_a_pdf_or_a_picture(auth, client, session, world):
    auth.login_as("staff")
    fund_id = world.records["progress_fund"]
    text = client.post(f"/funds/{fund_id}/evidence", data={"files": [(io.BytesIO(b"hello"), "a.pdf")]}, content_type="multipart/form-data")
    assert text.status_code == 400 and "只能上传 PDF、JPG 或 PNG 文件" in text.get_data(as_text=True)
    empty = client.post(f"/funds/{fund_id}/evidence", data={}, content_type="multipart/form-data")
    assert empty.status_code == 400 and "请选择要上传的文件" in empty.get_data(as_text=True)
    ok = client.post(f"/funds/{fund_id}/evidence", data={"files": [(io.BytesIO(PDF), "合同.pdf")]}, content_type="multipart/form-data")
    assert ok.status_code == 302
    page = client.get(f"/funds/{fund_id}").get_data(as_text=True)
    assert "合同.pdf" in page and "银行进账单.png" in page
    served = client.get(f"/funds/{fund_id}/evidence/{world.records['progress_evidence']}?download=1")
    assert served.status_code == 200 and served.data == TINY_PNG and "attachment;" in served.headers["Content-Disposition"]


# --- review -----------------------------------------------------------------------------------
def test_a_reviewer_approves_and_the_entry_counts(auth, client, session, world, today):  # noqa: F811
    from crm.projects.models import Project

    project_id = world.records["progress_project"]
    fund_id = world.records["progress_fund"]
    this_year = add_fund(session, project_id, world.users["staff"].id, "2000", ReviewStatus.APPROVED, period=month(today))
    auth.login_as("reviewer")
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert f'action="/funds/{fund_id}/approve"' in page and f'action="/funds/{fund_id}/reject"' in page
    response = client.post(f"/funds/{fund_id}/approve", data={"version": "1", "next": f"/projects/{project_id}#funds"})
    assert response.status_code == 302 and response.headers["Location"] == f"/projects/{project_id}#funds"
    fund = session.get(FundArrival, fund_id)
    session.refresh(fund)
    assert fund.review_status is ReviewStatus.APPROVED and fund.reviewed_by_id == world.users["reviewer"].id and fund.reviewed_at
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert 'data-testid="funds-approved">5,000.00 万元' in page
    assert 'data-testid="funds-year">2,000.00 万元' in page  # 2025-06's 3 000 is not this year's
    assert 'data-testid="funds-pending">0.00 万元' in page
    assert 'data-testid="funds-rate">10.00%' in page  # 5 000 / 50 000
    assert session.get(Project, project_id).contracted_amount == Decimal("50000")
    again = client.post(f"/funds/{fund_id}/approve", data={"version": str(fund.version)}, follow_redirects=True)
    assert "该条到位资金不在审核中" in again.get_data(as_text=True)
    assert this_year


def test_an_approved_entry_is_locked(auth, client, session, world):
    project_id = world.records["progress_project"]
    fund_id = add_fund(session, project_id, world.users["staff"].id, "100", ReviewStatus.APPROVED)
    auth.login_as("staff")
    edit = client.get(f"/funds/{fund_id}/edit", follow_redirects=True)
    assert "已审核通过的到位资金不能修改" in edit.get_data(as_text=True)
    assert client.post(f"/funds/{fund_id}/edit", data=fund_form(version="1")).status_code == 302
    delete = client.post(f"/funds/{fund_id}/delete", follow_redirects=True)
    assert "已审核通过的到位资金不能修改" in delete.get_data(as_text=True)
    upload = client.post(f"/funds/{fund_id}/evidence", data={"files": [(io.BytesIO(PDF), "晚到.pdf")]}, content_type="multipart/form-data")
    assert upload.status_code == 400
    fund = session.get(FundArrival, fund_id)
    session.refresh(fund)
    assert fund.amount == Decimal("100") and fund.review_status is ReviewStatus.APPROVED
    assert session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(Attachment.record_type == "fund_arrivals", Attachment.record_id == fund_id)) == 0


def test_a_stale_approval_is_refused(auth, client, session, world):
    fund_id = world.records["progress_fund"]
    auth.login_as("staff")
    client.post(f"/funds/{fund_id}/edit", data=fund_form(period="2025-06", amount="30000", version="1"))  # the submitter changes the amount
    auth.login_as("reviewer")
    response = client.post(f"/funds/{fund_id}/approve", data={"version": "1"}, follow_redirects=True)
    assert "已被修改，请查看最新内容后再审核" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(FundArrival, fund_id).review_status is ReviewStatus.PENDING


def test_reject_needs_a_comment_which_the_submitter_reads_then_resubmits(auth, client, session, world):
    project_id = world.records["progress_project"]
    fund_id = world.records["progress_fund"]
    auth.login_as("reviewer")
    empty = client.post(f"/funds/{fund_id}/reject", data={"version": "1", "comment": "  ", "next": "/funds/reviews"})
    assert empty.status_code == 400 and "退回时须填写意见" in empty.get_data(as_text=True)
    session.expire_all()
    assert session.get(FundArrival, fund_id).review_status is ReviewStatus.PENDING
    response = client.post(f"/funds/{fund_id}/reject", data={"version": "1", "comment": "进账单金额不符", "next": "https://evil.example/"})
    assert response.status_code == 302 and response.headers["Location"] == f"/funds/{fund_id}"  # never off-site
    session.expire_all()
    fund = session.get(FundArrival, fund_id)
    assert fund.review_status is ReviewStatus.REJECTED and fund.review_comment == "进账单金额不符"

    auth.login_as("staff")
    page = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert "审核未通过" in page and "进账单金额不符" in page
    form = client.get(f"/funds/{fund_id}/edit").get_data(as_text=True)
    assert "进账单金额不符" in form and "重新提交审核" in form
    resubmitted = client.post(f"/funds/{fund_id}/edit", data=fund_form(period="2025-06", amount="2800", version=str(fund.version)))
    assert resubmitted.status_code == 302
    session.expire_all()
    fund = session.get(FundArrival, fund_id)
    assert fund.review_status is ReviewStatus.PENDING and fund.amount == Decimal("2800")
    # The rejection never counted, and the resubmitted entry is pending again.
    auth.login_as("reviewer")
    queue = client.get("/funds/reviews").get_data(as_text=True)
    assert "上次退回意见：进账单金额不符" in queue and "2,800.00 万元" in queue


def test_editors_withdraw_an_entry_with_its_evidence(auth, client, session, world):
    auth.login_as("chief")
    fund_id = world.records["progress_fund"]
    assert client.post(f"/funds/{fund_id}/delete").status_code == 302
    session.expire_all()
    assert session.get(FundArrival, fund_id) is None
    assert session.get(Attachment, world.records["progress_evidence"]) is None


# --- what other features use ----------------------------------------------------------------
def test_funds_arrived_counts_what_is_not_refused_and_approved_funds_only_approved(app, session, world):
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db
    from crm.progress.queries import approved_funds, funds_arrived

    project_id = world.records["progress_project"]
    staff = world.users["staff"].id
    add_fund(session, project_id, staff, "1000.25", ReviewStatus.APPROVED)
    add_fund(session, project_id, staff, "500", ReviewStatus.REJECTED, review_comment="不符")
    empty = new_project(session, world, name="无资金项目", **UNDER_WAY).id
    session.commit()
    with app.app_context():
        set_scope(db.session, SYSTEM)
        assert funds_arrived(project_id) == Decimal("4000.25")  # 3 000 pending + 1 000.25 approved
        with count_statements(db.engine) as statements:
            totals = approved_funds([project_id, empty, world.records["progress_project_a2"]])
        assert len(statements) == 1  # one grouped query, however many projects
        assert totals == {project_id: Decimal("1000.25"), empty: Decimal("0.00"), world.records["progress_project_a2"]: Decimal("0.00")}
        assert approved_funds([]) == {}


def test_the_reviewers_queue_shows_their_subtree_only(auth, client, world):
    auth.login_as("reviewer")
    page = client.get("/funds/reviews").get_data(as_text=True)
    assert "甲县第一招商分局工期测试项目" in page and "甲县第二招商分局工期测试项目" in page
    assert "乙县第一招商分局工期测试项目" not in page
    assert f'action="/funds/{world.records["progress_fund_a2"]}/approve"' in page
    assert 'name="next" value="/funds/reviews"' in page
    assert "银行进账单.png" in page


def test_the_queue_section_is_empty_for_those_who_do_not_review(app, auth, client, world):
    from flask import g, render_template

    from crm.access.policy import build_actor
    from crm.access.scoping import set_scope
    from crm.extensions import db
    from crm.progress.queries import review_queue_section
    from crm.users.models import User

    for role, expected in (("staff", 0), ("leader", 0), ("admin", 0), ("reviewer", 2)):
        with app.test_request_context("/reviews"):
            user = db.session.get(User, world.users[role].id, execution_options={"crm_unscoped": True})
            g.actor = build_actor(user)
            set_scope(db.session, g.actor)
            section = review_queue_section()
            assert section["count"] == expected and len(section["funds"]) == expected
            assert section["next"] == "/reviews"
            html = render_template("progress/_review_queue.html", section=section)
            assert ("没有待审核的到位资金" in html) == (expected == 0)


# --- demo --------------------------------------------------------------------------------------
DEMO_PROJECTS = [
    "鲁山县石材建材工业城", "海亮(兴发)工业园", "中德纺织科技园", "海威特种布项目", "荣格集团项目", "圣光保健器材科技园二期",
    "方圆碳素项目", "鲁吉兰美体内衣项目", "尧盛针织项目", "河南靖焜丝绸项目", "德兴纺织项目", "华商药业项目",
]


@pytest.mark.parametrize("today", [date(2026, 3, 2), date(2026, 11, 28)])  # noqa: F811
def test_the_demo_tells_the_seeds_story_and_loads_once(app, isolated, today):  # noqa: F811
    from crm.access.scoping import SYSTEM, set_scope
    from crm.demo.progress import load_progress
    from crm.demo.services import LoadReport, load_demo
    from crm.domain.projects import Rag, RagCause
    from crm.extensions import db
    from crm.progress.models import Milestone, ProgressReport
    from crm.projects.models import Project
    from crm.projects.rag import project_rags

    with app.app_context():
        set_scope(db.session, SYSTEM)
        load_demo(today)  # the demo's projects (crm/demo/projects.py)
        load_progress(LoadReport(), today)  # a no-op once load_demo loads progress itself
        db.session.commit()
        projects = {p.name: p for p in db.session.scalars(sa.select(Project).where(Project.name.in_(DEMO_PROJECTS)))}
        assert set(projects) == set(DEMO_PROJECTS)
        rags = project_rags(projects.values(), today)
        for red in ("鲁山县石材建材工业城", "海亮(兴发)工业园"):
            colour, reasons = rags[projects[red].id]
            assert colour is Rag.RED and any(r.cause is RagCause.MILESTONES_OVERDUE for r in reasons), (red, reasons)
        colour, reasons = rags[projects["尧盛针织项目"].id]
        assert colour is Rag.AMBER and any(r.cause is RagCause.MILESTONE_DUE for r in reasons), reasons
        assert rags[projects["中德纺织科技园"].id] == (Rag.GREEN, [])

        stone = {m.kind.value: m for m in db.session.scalars(sa.select(Milestone).where(Milestone.project_id == projects["鲁山县石材建材工业城"].id))}
        assert stone["land"].actual_on is None and stone["construction_permit"].actual_on is None
        assert stone["land"].planned_on.month == (today - (date(2025, 5, 21) - date(2025, 4, 15))).month

        # Every row keeps the feature's rules.
        this_month = month(today)
        for m in db.session.scalars(sa.select(Milestone)):
            assert m.planned_on >= m.project.tracked_since
            assert m.actual_on is None or m.project.tracked_since <= m.actual_on <= today
        previous: dict[int, Decimal] = {}
        for r in db.session.scalars(sa.select(ProgressReport).order_by(ProgressReport.project_id, ProgressReport.period)):
            assert month(r.project.tracked_since) <= r.period <= this_month
            assert r.cumulative_investment >= previous.get(r.project_id, Decimal(0))
            previous[r.project_id] = r.cumulative_investment
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Attachment).where(Attachment.record_type == "project_progress", Attachment.record_id == r.id)) == 1
        started = [p for p in projects.values() if p.stage.value in ("started", "producing")]
        assert all(today - p.last_progress_on < (date(2025, 5, 21) - date(2025, 5, 7)) for p in started)

        entries = list(db.session.scalars(sa.select(FundArrival)))
        assert all(month(f.project.tracked_since) <= f.period <= this_month and f.amount > 0 for f in entries)
        statuses = [f.review_status for f in entries]
        assert statuses.count(ReviewStatus.PENDING) == 1 and statuses.count(ReviewStatus.APPROVED) > len(entries) // 2
        assert sum(f.source is FundingSource.OTHER_PROVINCE for f in entries) > len(entries) // 2
        pending = next(f for f in entries if f.review_status is ReviewStatus.PENDING)
        assert pending.project.name == "中德纺织科技园" and pending.period == this_month
        assert all(f.reviewed_by is not None and f.reviewed_by.username == "reviewer" for f in entries if f.review_status is not ReviewStatus.PENDING)

        again = LoadReport()
        load_progress(again, today)
        load_progress(again, today + timedelta(days=40))  # another day adds nothing either
        assert again.nothing_new, again.created
        db.session.commit()


def test_the_export_sums_approved_entries_only(auth, client, session, world):
    from openpyxl import load_workbook

    project_id = world.records["progress_project"]
    add_fund(session, project_id, world.users["staff"].id, "1000", ReviewStatus.APPROVED, period="2025-05")
    add_fund(session, project_id, world.users["staff"].id, "700", ReviewStatus.REJECTED, review_comment="=HYPERLINK(\"x\")")
    auth.login_as("leader")
    response = client.get(f"/projects/{project_id}/funds/export.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("月份", "本期到位（万元）", "计入累计（万元）")
    assert [r[0] for r in rows[1:4]] == ["2025-06", "2025-05", "2025-03"]
    assert rows[-1][0] == "合计" and rows[-1][2] == 1000
    rejected = next(r for r in rows if r[5] == "审核未通过")
    assert rejected[6].startswith("'=")  # never run as a formula


def test_the_pending_count_for_the_navigation(app, world):
    from flask import g

    from crm.access.policy import build_actor
    from crm.access.scoping import set_scope
    from crm.extensions import db
    from crm.progress.queries import pending_fund_count, pending_funds
    from crm.users.models import User

    for role, expected in (("reviewer", 2), ("staff", 0), ("admin", 0)):
        with app.test_request_context("/"):
            user = db.session.get(User, world.users[role].id, execution_options={"crm_unscoped": True})
            g.actor = build_actor(user)
            set_scope(db.session, g.actor)
            assert pending_fund_count() == expected
            assert pending_funds(limit=0) == ([], expected, Decimal("6000.00") if expected else Decimal("0.00"))
