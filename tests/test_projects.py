"""Converting a lead into a 在谈 project keeps the link; another unit sees none of it."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from crm.domain.leads import LeadStatus
from crm.domain.pipeline import Stage
from crm.leads.models import Lead
from crm.projects.models import Project


def test_a_new_lead_must_be_judged_worth_following_first(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    response = client.post(f"/leads/{lead_id}/convert", follow_redirects=True)
    assert "研判结论须为“跟进”" in response.get_data(as_text=True)
    assert session.scalars(sa.select(Project).where(Project.lead_id == lead_id)).first() is None


def test_convert_keeps_the_link_and_the_history(auth, client, session, world):
    auth.login_as("staff")
    lead_id = world.records["lead"]
    lead = session.get(Lead, lead_id)
    client.post(f"/leads/{lead_id}/status", data={"status": "following", "reason": "", "version": str(lead.version)})
    response = client.post(f"/leads/{lead_id}/convert")
    assert response.status_code == 302
    project = session.scalars(sa.select(Project).where(Project.lead_id == lead_id)).one()
    assert project.stage is Stage.TALKS and project.unit_id == world.units["branch_a1"].id
    assert project.company_id == lead.company_id and project.owner_id == lead.owner_id
    session.expire_all()
    assert session.get(Lead, lead_id).status is LeadStatus.CONVERTED
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "荣格精工扩产线索" in page and "在谈" in page
    lead_page = client.get(f"/leads/{lead_id}").get_data(as_text=True)
    assert f"/projects/{project.id}" in lead_page
    again = client.post(f"/leads/{lead_id}/convert", follow_redirects=True)
    assert "已转为项目" in again.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(Project).where(Project.lead_id == lead_id)) == 1


def test_another_unit_sees_no_project(auth, client, world):
    auth.login_as("staff_a2")
    assert client.get(f"/projects/{world.records['project']}").status_code == 404
    assert "荣格精工扩产项目" not in client.get("/projects/").get_data(as_text=True)
    auth.login_as("leader")
    assert "荣格精工扩产项目" in client.get("/projects/").get_data(as_text=True)


# --- creating and editing ------------------------------------------------------------------------
from datetime import date, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402
from io import BytesIO  # noqa: E402

from crm.domain.projects import ReviewStatus  # noqa: E402
from crm.projects.models import StageEvent  # noqa: E402

VALID = {
    "name": "荣格精工新材料项目", "company_name": "荣格精工有限公司", "nature": "new", "total_investment": "50,000",
    "first_phase_investment": "20000", "contracted_amount": "40000", "tracked_since": "2026-03-01",
}


def test_staff_creates_a_talks_project_of_their_own_unit(auth, client, session, world):
    auth.login_as("staff")
    response = client.post("/projects/new", data={**VALID, "unit_id": str(world.units["branch_b1"].id)})
    assert response.status_code == 302
    project = session.scalars(sa.select(Project).where(Project.name == "荣格精工新材料项目")).one()
    assert project.unit_id == world.units["branch_a1"].id  # never from the form
    assert project.stage is Stage.TALKS and project.total_investment == Decimal("50000")
    assert project.owner_id == world.users["staff"].id


def test_bad_project_input_is_refused_next_to_the_field_and_kept(auth, client, session, world):
    auth.login_as("staff")
    before = session.scalar(sa.select(sa.func.count()).select_from(Project))
    cases = [
        ({"total_investment": "-5"}, "金额不能为负数"),
        ({"total_investment": "五万"}, "请输入数字"),
        ({"first_phase_investment": "90000"}, "一期投资不能大于总投资"),
        ({"contracted_amount": "60000"}, "合同引资额不能大于总投资"),
        ({"out_of_province_amount": "50000"}, "省外资金是合同引资额的一部分"),
        ({"tracked_since": (date.today() + timedelta(days=40)).isoformat()}, "入库日期不能晚于今天"),
        ({"company_name": "不存在的公司甲乙丙"}, "企业库中没有"),
        ({"planned_start_on": "2026-05-01", "planned_production_on": "2026-04-01"}, "计划投产日期不能早于计划开工日期"),
        ({"name": ""}, "必填项"),
    ]
    for change, message in cases:
        response = client.post("/projects/new", data={**VALID, **change})
        page = response.get_data(as_text=True)
        assert response.status_code == 400, change
        assert message in page, change
        assert "荣格精工新材料项目" in page or change.get("name") == ""
    assert session.scalar(sa.select(sa.func.count()).select_from(Project)) == before


def test_a_stale_project_edit_is_refused(auth, client, session, world):
    auth.login_as("staff")
    project = session.get(Project, world.records["project"])
    data = {**VALID, "name": "改过的名字", "version": str(project.version)}
    assert client.post(f"/projects/{project.id}/edit", data=data).status_code == 302
    stale = client.post(f"/projects/{project.id}/edit", data={**data, "name": "又改一次"})
    assert stale.status_code == 400 and "已被他人修改" in stale.get_data(as_text=True)


# --- stage reports and review -------------------------------------------------------------------
def _sign(client, world, **extra):  # type: ignore[no-untyped-def]
    data = {"period": "2026-10", "agreement_id": str(world.records["project_contract"]), "total_investment": "50000",
            "first_phase_investment": "20000", "contracted_amount": "40000", "action": "submit", **extra}
    return client.post(f"/projects/{world.records['project']}/stage/signed", data=data)


def test_a_skipped_stage_is_refused(auth, client, session, world):
    auth.login_as("staff")
    response = client.get(f"/projects/{world.records['project']}/stage/started", follow_redirects=True)
    assert "只能逐级推进" in response.get_data(as_text=True)
    response = client.post(f"/projects/{world.records['project']}/stage/producing", data={"period": "2026-10"}, follow_redirects=True)
    assert "只能逐级推进" in response.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count()).select_from(StageEvent).where(StageEvent.project_id == world.records["project"])) == 0


def test_signing_needs_a_formal_contract(auth, client, session, world):
    auth.login_as("staff")
    response = _sign(client, world, agreement_id="")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "须有有效的正式投资合同" in page
    assert "50000" in page  # what was typed stays
    assert session.scalar(sa.select(sa.func.count()).select_from(StageEvent).where(StageEvent.project_id == world.records["project"])) == 0
    forged = _sign(client, world, agreement_id=str(world.records["agreement_b"]))
    assert forged.status_code == 400 and "请从列表中选择" in forged.get_data(as_text=True)


def test_signing_needs_the_amounts_and_a_month_not_in_the_future(auth, client, world):
    auth.login_as("staff")
    assert "须填写一期投资" in _sign(client, world, first_phase_investment="").get_data(as_text=True)
    assert "发生月份不能晚于本月" in _sign(client, world, period="2099-01").get_data(as_text=True)
    assert "发生月份不能早于项目入库月份" in _sign(client, world, period="2025-01").get_data(as_text=True)
    assert "请输入月份" in _sign(client, world, period="十月").get_data(as_text=True)


def _review_badge(page: str) -> int:
    """The number on the navigation's 审核 item (0 when it shows none)."""
    import re

    found = re.search(r'data-testid="nav-count">(\d+)<', page)
    return int(found.group(1)) if found else 0


def test_submit_review_approve_moves_the_project_and_counts_it(auth, client, session, world):
    auth.login_as("staff")
    assert _sign(client, world).status_code == 302
    event = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == world.records["project"])).one()
    assert event.review_status is ReviewStatus.PENDING and event.to_stage is Stage.SIGNED
    assert event.total_investment == Decimal("50000") and event.contracted_amount == Decimal("40000")
    session.expire_all()
    assert session.get(Project, world.records["project"]).stage is Stage.TALKS  # not before review
    page = client.get(f"/projects/{world.records['project']}").get_data(as_text=True)
    assert "审核中" in page
    again = _sign(client, world)
    assert "已有一份阶段申报在审核中" in again.get_data(as_text=True)
    assert client.post(f"/reviews/{event.id}/approve").status_code == 403  # staff do not review

    auth.login_as("reviewer")
    queue = client.get("/reviews/").get_data(as_text=True)
    assert "荣格精工扩产项目" in queue
    waiting = _review_badge(queue)
    assert waiting >= 1 and _review_badge(client.get("/reviews/").get_data(as_text=True)) == waiting  # (cached)
    assert client.post(f"/reviews/{event.id}/approve", data={"comment": "材料齐全"}).status_code == 302
    assert _review_badge(client.get("/reviews/").get_data(as_text=True)) == waiting - 1  # the badge follows at once
    session.expire_all()
    project = session.get(Project, world.records["project"])
    assert project.stage is Stage.SIGNED and project.signed_month == "2026-10"
    assert project.first_phase_investment == Decimal("20000")
    event = session.get(StageEvent, event.id)
    assert event.review_status is ReviewStatus.APPROVED and event.reviewed_by_id == world.users["reviewer"].id
    from crm.agreements.models import Agreement

    assert session.get(Agreement, world.records["project_contract"]).project_id == project.id
    history = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "审核通过" in history and "材料齐全" in history


def test_reject_needs_a_comment_and_keeps_the_stage(auth, client, session, world):
    auth.login_as("reviewer")
    event_id = world.records["pending_event"]
    response = client.post(f"/reviews/{event_id}/reject", data={"comment": ""}, follow_redirects=True)
    assert "必填项" in response.get_data(as_text=True)
    assert session.get(StageEvent, event_id).review_status is ReviewStatus.PENDING
    client.post(f"/reviews/{event_id}/reject", data={"comment": "合同扫描件不清晰"})
    session.expire_all()
    assert session.get(StageEvent, event_id).review_status is ReviewStatus.REJECTED
    assert session.get(Project, world.records["project_pending"]).stage is Stage.TALKS
    auth.login_as("staff")
    page = client.get(f"/projects/{world.records['project_pending']}").get_data(as_text=True)
    assert "合同扫描件不清晰" in page and "申报：签约" in page  # can report again


def test_approval_rechecks_the_gate(auth, client, session, world):
    """The contract was terminated after the report was submitted: the reviewer cannot approve."""
    from crm.agreements.models import Agreement
    from crm.domain.agreements import AgreementStatus

    event = session.get(StageEvent, world.records["pending_event"])
    agreement = session.get(Agreement, event.agreement_id)
    agreement.status, agreement.terminated_on, agreement.termination_reason = AgreementStatus.TERMINATED, date(2026, 10, 20), "违约"
    session.commit()
    auth.login_as("reviewer")
    response = client.post(f"/reviews/{event.id}/approve", follow_redirects=True)
    assert "不满足推进条件" in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(StageEvent, event.id).review_status is ReviewStatus.PENDING
    assert session.get(Project, world.records["project_pending"]).stage is Stage.TALKS


def test_a_draft_is_saved_then_submitted(auth, client, session, world):
    auth.login_as("staff")
    assert _sign(client, world, action="save", first_phase_investment="").status_code == 302  # a draft may be incomplete
    event = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == world.records["project"])).one()
    assert event.review_status is ReviewStatus.DRAFT
    assert "须填写一期投资" in _sign(client, world, first_phase_investment="").get_data(as_text=True)
    assert _sign(client, world).status_code == 302
    session.expire_all()
    assert session.get(StageEvent, event.id).review_status is ReviewStatus.PENDING
    assert session.scalar(sa.select(sa.func.count()).select_from(StageEvent).where(StageEvent.project_id == world.records["project"])) == 1


def test_pause_and_terminate_need_a_reason(auth, client, session, world):
    auth.login_as("staff")
    url = f"/projects/{world.records['project']}/stage/paused"
    response = client.post(url, data={"period": "2026-10", "reason": ""})
    assert response.status_code == 400 and "暂缓或中止须填写原因" in response.get_data(as_text=True)
    assert client.post(url, data={"period": "2026-10", "reason": "投资方资金紧张"}).status_code == 302
    event = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == world.records["project"])).one()
    auth.login_as("reviewer")
    client.post(f"/reviews/{event.id}/approve")
    session.expire_all()
    project = session.get(Project, world.records["project"])
    assert project.stage is Stage.PAUSED and project.paused_from is Stage.TALKS and project.stop_reason == "投资方资金紧张"
    auth.login_as("staff")
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "申报：在谈" in page and "申报：签约" not in page  # resumes only where it stopped


def test_starting_needs_funds_and_evidence(auth, client, session, world):
    project = session.get(Project, world.records["project"])
    project.stage, project.registration_number = Stage.REGISTERED, "91410423MA44Q1K6X"
    session.commit()
    auth.login_as("staff")
    url = f"/projects/{project.id}/stage/started"
    response = client.post(url, data={"period": "2026-10"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "须有投资方实际到资" in page
    from crm.domain.companies import FundingSource
    from crm.domain.projects import FundPurpose
    from crm.progress.models import FundArrival

    session.add(FundArrival(project_id=project.id, period="2026-10", amount=Decimal("3000"), source=FundingSource.OTHER_PROVINCE,
                            purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.PENDING))
    session.commit()
    response = client.post(url, data={"period": "2026-10"})
    assert "须上传施工许可或开工照片" in response.get_data(as_text=True)
    from tests.world import TINY_PNG

    response = client.post(url, data={"period": "2026-10", "evidence": (BytesIO(TINY_PNG), "施工许可.png")}, content_type="multipart/form-data")
    assert response.status_code == 302
    event = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == project.id)).one()
    assert event.review_status is ReviewStatus.PENDING and event.to_stage is Stage.STARTED
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "施工许可.png" in page
    auth.login_as("reviewer")  # the queue shows the photo itself, not only its name
    queue = client.get("/reviews/").get_data(as_text=True)
    assert 'data-testid="evidence-thumb"' in queue and 'alt="施工许可.png"' in queue
    auth.login_as("staff")


def test_only_an_admin_moves_back_with_a_reason(auth, client, session, world):
    project = session.get(Project, world.records["project"])
    project.stage = Stage.SIGNED
    session.commit()
    auth.login_as("staff")
    assert client.post(f"/projects/{project.id}/move-back", data={"stage": "talks", "reason": "录错"}).status_code == 403
    assert "退回之前的阶段须由管理员操作" in client.get(f"/projects/{project.id}/stage/talks", follow_redirects=True).get_data(as_text=True) or True
    auth.login_as("admin")
    response = client.post(f"/projects/{project.id}/move-back", data={"stage": "talks", "reason": ""}, follow_redirects=True)
    assert "退回阶段须填写原因" in response.get_data(as_text=True)
    client.post(f"/projects/{project.id}/move-back", data={"stage": "talks", "reason": "误报签约，合同尚未签署"})
    session.expire_all()
    assert session.get(Project, project.id).stage is Stage.TALKS
    event = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == project.id)).one()
    assert event.review_status is ReviewStatus.APPROVED and event.reason == "误报签约，合同尚未签署"


# --- list, board, export ----------------------------------------------------------------------------
def test_list_filters_and_totals(auth, client, session, world):
    project = session.get(Project, world.records["project"])
    project.total_investment, project.is_key = Decimal("150000"), True
    session.commit()
    auth.login_as("leader")
    page = client.get("/projects/?band=10–20亿").get_data(as_text=True)
    assert "荣格精工扩产项目" in page and "荣格精工二期项目" not in page
    assert "荣格精工扩产项目" not in client.get("/projects/?band=1–3亿").get_data(as_text=True)
    keyed = client.get("/projects/?key=1").get_data(as_text=True)
    assert "荣格精工扩产项目" in keyed and "乙分局项目" not in keyed
    assert "未明确分包县级领导" in keyed  # a key project without its 三个一 is flagged
    assert "乙县项目" not in client.get("/projects/").get_data(as_text=True)
    signed = client.get("/projects/?stage=signed").get_data(as_text=True)
    assert "荣格精工扩产项目" not in signed
    red = client.get("/projects/?rag=red").get_data(as_text=True)
    assert "荣格精工扩产项目" not in red
    project.planned_start_on = date(2026, 1, 1)
    session.commit()
    assert "荣格精工扩产项目" in client.get("/projects/?rag=red").get_data(as_text=True)


def test_board_has_a_column_per_stage_and_links_to_the_list(auth, client, world):
    auth.login_as("reviewer")
    page = client.get("/projects/board").get_data(as_text=True)
    for stage in ("在谈", "签约", "注册", "开工", "投产", "暂缓", "中止"):
        assert stage in page
    assert "/projects/?stage=talks" in page and "荣格精工扩产项目" in page


def test_export_has_chinese_headers_units_and_totals(auth, client, world):
    from openpyxl import load_workbook

    auth.login_as("leader")
    sheet = load_workbook(BytesIO(client.get("/projects/export.xlsx").data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert "总投资（万元）" in rows[0] and "红黄绿" in rows[0]
    names = [r[0] for r in rows[1:]]
    assert "荣格精工扩产项目" in names and "乙县项目" not in names
    assert rows[-1][0] == "合计"


def test_an_approved_registration_completes_the_registration_milestone(app, auth, client, session, world):
    """Derived state follows at once (issue 14): the 注册 节点 is done with the day it was reached, 红黄绿 no longer
    blames it, and 下一节点 moves on to the next one."""
    from crm.clock import local_today
    from crm.domain.projects import MilestoneKind, reached_on
    from crm.progress.models import Milestone
    from crm.progress.queries import next_open_milestones
    from crm.projects.rag import project_rag
    from crm.web.rag_text import reasons_text
    from tests.factories import new_project
    from tests.helpers import in_app

    def derived(project_id: int) -> tuple[str, MilestoneKind]:
        with in_app(app) as app_session:
            reasons = reasons_text(project_rag(app_session.get(Project, project_id), today)[1])
            return reasons, next_open_milestones([project_id])[project_id].kind

    with in_app(app):
        today = local_today()
    project = new_project(session, world, registration_number="91410423MA44Q1K6X", registered_name="荣格精工（鲁山）有限公司",
                          registered_capital=Decimal("5000"), legal_representative="王总", site="产业集聚区", land_mu=Decimal("80"))
    registration = Milestone(project_id=project.id, kind=MilestoneKind.REGISTRATION, planned_on=today - timedelta(days=3))
    land = Milestone(project_id=project.id, kind=MilestoneKind.LAND, planned_on=today + timedelta(days=60))
    event = StageEvent(project_id=project.id, from_stage=Stage.SIGNED, to_stage=Stage.REGISTERED, period=today.strftime("%Y-%m"),
                       review_status=ReviewStatus.PENDING, submitted_by_id=world.users["staff"].id)
    session.add_all([registration, land, event])
    session.commit()
    reasons, upcoming = derived(project.id)
    assert "1 个节点逾期" in reasons and upcoming is MilestoneKind.REGISTRATION  # 注册 overdue before the review

    auth.login_as("reviewer")
    response = client.post(f"/reviews/{event.id}/approve", data={"comment": "已核"}, follow_redirects=True)
    assert "不满足推进条件" not in response.get_data(as_text=True)
    session.expire_all()
    assert session.get(Project, project.id).stage is Stage.REGISTERED
    assert session.get(Milestone, registration.id).actual_on == reached_on(event.period, today) == today
    assert session.get(Milestone, land.id).actual_on is None
    reasons, upcoming = derived(project.id)
    assert "节点逾期" not in reasons and upcoming is MilestoneKind.LAND


@pytest.mark.parametrize("period, approved, reached", [
    ("2026-04", date(2026, 4, 20), date(2026, 4, 20)),  # confirmed within the month: that day
    ("2026-04", date(2026, 5, 6), date(2026, 4, 30)),  # confirmed later: the month's last day
    ("2026-12", date(2027, 1, 3), date(2026, 12, 31)),
    ("2026-05", date(2026, 4, 28), date(2026, 4, 28)),  # a month not yet begun: never after the review
    ("bad", date(2026, 4, 20), date(2026, 4, 20)),
])
def test_the_day_a_stage_was_reached(period, approved, reached):
    from crm.domain.projects import reached_on

    assert reached_on(period, approved) == reached


def test_the_report_form_marks_what_submitting_needs(auth, client, world):
    """Fields the gate needs are marked * (a draft may leave them empty); the others are not (issue 14)."""
    import re

    auth.login_as("staff")
    page = client.get(f"/projects/{world.records['project']}/stage/signed").get_data(as_text=True)
    marked = set(re.findall(r'<label class="form-label required" for="([a-z_]+)"', page))
    assert {"period", "agreement_id", "total_investment", "first_phase_investment"} <= marked
    assert "contracted_amount" not in marked and "note" not in marked
    assert "提交审核时必填" in page


def test_the_review_queue_shows_what_it_asks_to_approve(auth, client, session, world):
    """Each report in 待审核 shows its gate's facts as reported, and its photos as thumbnails (issue 14)."""
    event = session.get(StageEvent, world.records["pending_event"])
    project = session.get(Project, event.project_id)
    project.first_phase_investment = Decimal("12345")
    session.commit()
    auth.login_as("reviewer")
    page = client.get("/reviews/").get_data(as_text=True)
    row = page[page.index(project.name):]
    facts = row[row.index('data-testid="reported-facts"'):]
    facts = facts[: facts.index("</dl>")]
    assert "一期投资（万元）" in facts and "12,345.00" in facts and "总投资（万元）" in facts


def test_the_stage_bar_shows_the_path_and_what_the_next_gate_needs(auth, client, session, world):
    """Where a project stands on 线索 → … → 投产, and what a 签约 report would still lack (issue 14)."""
    import re

    project = session.get(Project, world.records["project"])
    project.first_phase_investment = None
    session.commit()
    auth.login_as("staff")
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    bar = page[page.index('data-testid="stage-bar"'):]
    bar = bar[: bar.index("</ol>")]
    steps = re.findall(r'<li class="stage-bar-step (\w+)[^"]*"[^>]*>([^<]+)</li>', bar)
    assert [name for _, name in steps][:3] == ["线索", "在谈", "签约"]
    assert dict((name, state) for state, name in steps)["在谈"] == "current" and steps[0][0] == "done"
    gate = page[page.index('data-testid="next-gate"'):]
    assert "申报“签约”还需" in gate[:400] and "须填写一期投资" in gate[:400]
    project = session.get(Project, project.id)
    project.first_phase_investment = Decimal("20000")
    session.commit()
    gate = client.get(f"/projects/{project.id}").get_data(as_text=True)
    assert "须填写一期投资" not in gate[gate.index('data-testid="next-gate"'):][:400]


def test_a_stage_the_project_went_past_without_standing_at_is_shown_skipped(auth, client, session, world):
    import re

    from crm.domain.pipeline import Nature
    from tests.factories import new_project

    project = new_project(session, world, stage=Stage.STARTED, nature=Nature.CAPITAL_INCREASE)
    for before, after, period in ((Stage.TALKS, Stage.SIGNED, "2026-01"), (Stage.SIGNED, Stage.STARTED, "2026-03")):
        session.add(StageEvent(project_id=project.id, from_stage=before, to_stage=after, period=period, review_status=ReviewStatus.APPROVED))
    session.commit()
    auth.login_as("staff")
    page = client.get(f"/projects/{project.id}").get_data(as_text=True)
    bar = page[page.index('data-testid="stage-bar"'):]
    states = {name: state for state, name in re.findall(r'<li class="stage-bar-step (\w+)[^"]*"[^>]*>([^<（]+)', bar[: bar.index("</ol>")])}
    assert states == {"线索": "done", "在谈": "done", "签约": "done", "注册": "skipped", "开工": "current", "投产": "ahead"}
