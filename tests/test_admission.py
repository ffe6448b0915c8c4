"""准入评审 (issue 17): a project in 在谈 gets its 初审 from its unit and its 会审 from the county's 审核员, with
scores on the county's 评审表, an outcome no more lenient than the scores and conditions for 有条件通过; bad input
stays beside its field; another unit neither sees nor writes; the county setting makes a passed review part of the
签约 gate; the list exports; the digest tells reviewers what awaits."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from openpyxl import load_workbook

from crm.admission.models import AdmissionReview
from crm.clock import local_today
from crm.domain.admission import Outcome, ReviewStatus
from crm.domain.pipeline import Stage
from crm.projects.models import Project, StageEvent
from crm.reports.models import ReportSettings


def _text(response) -> str:
    return response.get_data(as_text=True)


def _today(app) -> str:
    with app.app_context():
        return local_today().isoformat()


def _prelim(client, app, world, **extra):
    data = {"prelim_on": _today(app), "passed": "1", "opinion": "符合本县产业导向，建议提交会审", "investment_intensity": "320",
            "tax_per_mu": "", **extra}
    return client.post(f"/admission/projects/{world.records['project']}/new", data=data)


def _review(session) -> AdmissionReview:
    session.expire_all()
    return session.scalars(sa.select(AdmissionReview).order_by(AdmissionReview.id.desc())).first()


def _joint(client, app, review, **extra):
    data = {"version": str(review.version), "joint_on": _today(app), "participants": "县发改委 王主任；县自然资源局 李局长",
            "minutes": "会议认为项目符合产业链方向，投资强度达标。", "scores-0": "22", "scores-1": "16", "scores-2": "12", "scores-3": "12",
            "scores-4": "13", "scores-5": "8", "tax_per_mu": "32", "outcome": "passed", "conditions": "", **extra}
    return client.post(f"/admission/{review.id}/joint", data=data)


def test_prelim_then_joint_review_with_outcome_and_scores(app, client, login_as, world, session):
    login_as("staff")
    assert "填写初审" in _text(client.get(f"/projects/{world.records['project']}"))
    bad = _prelim(client, app, world, opinion="", investment_intensity="三百")
    assert bad.status_code == 400 and "请填写初审意见" in _text(bad) and "请输入数字" in _text(bad) and "三百" in _text(bad)
    assert _prelim(client, app, world).status_code == 302
    review = _review(session)
    assert (review.status, review.unit_id, review.investment_intensity) == (ReviewStatus.AWAITING_JOINT, world.units["branch_a1"].id, 320)
    assert review.sheet["criteria"][0]["threshold"] == "300"  # the county's default sheet, copied
    again = _prelim(client, app, world)
    assert again.status_code == 400 and "已有一份准入评审等待会审" in _text(again)
    assert _joint(client, app, review).status_code == 403  # staff do not hold the 会审
    page = _text(client.get(f"/admission/{review.id}"))
    assert "等待县招商局组织会审" in page and "joint-form" not in page

    login_as("reviewer")
    page = _text(client.get(f"/admission/{review.id}"))
    assert "joint-form" in page and "投资强度（万元/亩）（满分 25）" in page
    refused = _joint(client, app, review, participants="", **{"scores-0": "30", "scores-3": ""})
    text = _text(refused)
    assert refused.status_code == 400 and "请填写参会人员" in text and "请打分" in text
    assert "会议认为项目符合产业链方向" in text  # typed values kept
    too_high = _joint(client, app, review, **{"scores-0": "30"})
    assert too_high.status_code == 400 and "得分应在 0 到 25 之间" in _text(too_high)
    lenient = _joint(client, app, review, **{"scores-2": "6", "scores-3": "6", "scores-4": "6"})  # 64 points
    assert lenient.status_code == 400 and "最多只能评为“有条件通过”" in _text(lenient)
    no_conditions = _joint(client, app, review, outcome="conditional")
    assert no_conditions.status_code == 400 and "有条件通过须写明所附条件" in _text(no_conditions)
    vetoed = _joint(client, app, review, vetoes_hit="存在重大环境风险或安全隐患")
    assert vetoed.status_code == 400 and "触及一票否决项" in _text(vetoed)
    stale = _joint(client, app, review, version="99")
    assert stale.status_code == 400 and "已被他人修改" in _text(stale)
    done = _joint(client, app, review, outcome="conditional", conditions="签约前须明确亩均税收不低于 30 万元/亩/年")
    assert done.status_code == 302, _text(done)[:2000]
    review = _review(session)
    assert (review.status, review.outcome, review.total_score, review.tax_per_mu) == (ReviewStatus.DECIDED, Outcome.CONDITIONAL, 83, 32)
    assert review.scores == ["22", "16", "12", "12", "13", "8"] and review.joint_by_id == world.users["reviewer"].id
    page = _text(client.get(f"/admission/{review.id}"))
    assert "有条件通过" in page and "签约前须明确亩均税收" in page and "joint-form" not in page
    assert "已通过会审" in _text(client.get(f"/projects/{world.records['project']}"))

    login_as("staff")
    assert client.get(f"/admission/{review.id}/edit").status_code == 302  # 会审 done: no more edits
    history = client.get(f"/history/admission_reviews/{review.id}")
    assert history.status_code == 200 and "签约前须明确亩均税收" in _text(history)


def test_another_units_staff_neither_see_nor_write(app, client, login_as, world, session):
    login_as("staff")
    assert _prelim(client, app, world).status_code == 302
    review = _review(session)
    for who in ("staff_a2", "staff_b"):
        login_as(who)
        assert client.get(f"/admission/{review.id}").status_code == 404
        assert client.get(f"/admission/{review.id}/edit").status_code == 404
        assert _joint(client, app, review).status_code == 404
        assert _prelim(client, app, world).status_code == 404  # the project itself is not theirs
        assert "荣格精工扩产项目" not in _text(client.get("/admission/"))
        book = load_workbook(io.BytesIO(client.get("/admission/export.xlsx").data))
        assert "荣格精工扩产项目" not in [row[0] for row in book.active.values]
    login_as("leader")
    assert client.get(f"/admission/{review.id}").status_code == 200
    assert _joint(client, app, review).status_code == 403
    assert client.get(f"/admission/{review.id}/edit").status_code == 403


def test_only_projects_in_talks_are_reviewed(app, client, login_as, world, session):
    project = session.get(Project, world.records["project"])
    project.stage = Stage.SIGNED
    session.flush()
    login_as("staff")
    response = _prelim(client, app, world)
    assert response.status_code == 400 and "只有“在谈”阶段的项目可以进行准入评审" in _text(response)


def test_the_list_filters_and_exports(app, client, login_as, world, session):
    login_as("staff")
    assert _prelim(client, app, world).status_code == 302
    login_as("reviewer")
    page = _text(client.get("/admission/?status=awaiting_joint"))
    assert "荣格精工扩产项目" in page and "共 3 个项目等待会审" in page  # and the world's of branch_a1 and branch_a2
    assert "荣格精工扩产项目" not in _text(client.get("/admission/?outcome=passed"))
    assert "荣格精工扩产项目" in _text(client.get("/admission/?status=bogus&outcome=bogus"))  # unknown filters ignored
    book = load_workbook(io.BytesIO(client.get("/admission/export.xlsx").data))
    rows = list(book.active.values)
    assert rows[0][0] == "项目" and ("荣格精工扩产项目", "待会审") in [row[:2] for row in rows]
    assert "乙县项目" not in [row[0] for row in rows]


def _month(app) -> str:
    return _today(app)[:7]


def _sign(client, app, world):
    data = {"period": _month(app), "agreement_id": str(world.records["project_contract"]), "total_investment": "50000",
            "first_phase_investment": "20000", "contracted_amount": "40000", "action": "submit"}
    return client.post(f"/projects/{world.records['project']}/stage/signed", data=data)


def _gate(client, on: bool, version: str | None = None):
    data = {"criteria": "投资强度|50|投资强度|300\n产业链匹配|50", "vetoes": "属于淘汰类产业", "pass_score": "80", "conditional_score": "60"}
    if on:
        data["gate"] = "y"
    if version:
        data["version"] = version
    return client.post("/admission/settings", data=data)


def test_the_county_setting_makes_a_passed_review_part_of_the_signing_gate(app, client, login_as, world, session):
    project = session.get(Project, world.records["project"])
    project.tracked_since = date.fromisoformat(_month(app) + "-01")
    session.flush()
    login_as("staff")
    assert _gate(client, True).status_code == 403  # the unit does not set the county's sheet
    login_as("reviewer")
    assert _gate(client, True).status_code == 302
    row = session.scalars(sa.select(ReportSettings).where(ReportSettings.key == "admission_sheet")).one()
    assert row.unit_id == world.units["county_a"].id and row.value["gate"] is True
    login_as("staff")
    refused = _sign(client, app, world)
    assert refused.status_code == 400 and "签约前须经准入评审" in _text(refused)
    assert "尚无会审“通过”或“有条件通过”的准入评审" in _text(client.get(f"/projects/{world.records['project']}"))
    # a passed review lets it through
    assert _prelim(client, app, world).status_code == 302
    review = _review(session)
    assert len(review.sheet["criteria"]) == 2  # the county's own sheet
    login_as("reviewer")
    done = client.post(f"/admission/{review.id}/joint", data={
        "version": str(review.version), "joint_on": _today(app), "participants": "县招商局", "minutes": "同意", "scores-0": "45",
        "scores-1": "45", "outcome": "passed"})
    assert done.status_code == 302, _text(done)[:1500]
    login_as("staff")
    assert _sign(client, app, world).status_code == 302
    assert session.scalar(sa.select(sa.func.count()).select_from(StageEvent).where(StageEvent.project_id == project.id)) == 1


def test_with_the_setting_off_signing_needs_no_review(app, client, login_as, world, session):
    project = session.get(Project, world.records["project"])
    project.tracked_since = date.fromisoformat(_month(app) + "-01")
    session.flush()
    login_as("reviewer")
    assert _gate(client, False).status_code == 302
    login_as("staff")
    assert _sign(client, app, world).status_code == 302


def test_settings_refuse_a_bad_sheet_beside_the_field(app, client, login_as, world, session):
    login_as("reviewer")
    page = _text(client.get("/admission/settings"))
    assert "本县尚未设置评审表" in page and "投资强度（万元/亩）|25|投资强度|300" in page
    for data, message in (
        ({"criteria": "能耗"}, "第 1 行格式不对"),
        ({"criteria": "能耗|10|用电|3"}, "第 1 行门槛应写成"),
        ({"criteria": "能耗|50\n能耗|50"}, "指标“能耗”重复"),
        ({"criteria": "能耗|50\n环保|50", "pass_score": "120"}, "各项满分之和（100）"),
        ({"criteria": "能耗|50\n环保|50", "pass_score": ""}, "必填项"),
    ):
        response = client.post("/admission/settings", data={"vetoes": "", "pass_score": "80", "conditional_score": "60", **data})
        assert response.status_code == 400 and message in _text(response), data
        assert data["criteria"].split("\n")[0] in _text(response)
    assert session.scalar(sa.select(sa.func.count()).select_from(ReportSettings).where(ReportSettings.key == "admission_sheet")) == 0
    login_as("staff")
    page = _text(client.get("/admission/settings"))
    assert client.get("/admission/settings").status_code == 200 and "<textarea" not in page and "投资强度（万元/亩）" in page


def test_the_weekly_digest_tells_reviewers_what_awaits_its_joint_review(app, world, isolated):
    from crm.digests.send import preview
    from crm.users.models import User
    from tests.helpers import in_app

    with in_app(app) as s:
        reviewer = preview(s.get(User, world.users["reviewer"].id), "2026-W48")
        items = [i.text for i in reviewer.section("county_reviews").items]
        assert "准入评审待会审 2 个项目" in items  # branch_a1's and branch_a2's; not county B's
        admin_b = preview(s.get(User, world.users["admin_b"].id), "2026-W48")
        assert "准入评审待会审 1 个项目" in [i.text for i in admin_b.section("county_reviews").items]
