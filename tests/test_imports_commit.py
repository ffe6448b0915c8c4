"""Importing into the database (issue 13): plan, commit, re-import, decisions, lookups, access, revert and the CLI.

Fixtures are small workbooks written here with openpyxl in the shapes counties keep (a merged title, a 填报单位
line, two-row headers with （亿元） below, 合计 rows, amounts as 1.2亿 and 3,000万元, dates as 2025.4 and 2025年1月,
stage words such as 已签约 and 在建)."""

from __future__ import annotations

import hashlib
import io
from contextlib import contextmanager
from datetime import date, timedelta
from decimal import Decimal
from typing import Iterator

import openpyxl
import sqlalchemy as sa

from crm.access.policy import build_actor
from crm.access.scoping import SYSTEM, set_scope
from crm.audit.models import AuditLog
from crm.audit.services import set_audit_actor
from crm.clock import local_today
from crm.companies.models import Company
from crm.domain.imports.fields import Kind
from crm.domain.imports.plan import Action
from crm.domain.pipeline import Stage
from crm.domain.projects import ReviewStatus
from crm.extensions import db
from crm.imports.context import NEW_COMPANY
from crm.imports.models import Import
from crm.imports.reading import Limits, open_book
from crm.imports.services import PartTaken, RevertRefused, commit_import, commit_part, plan_import, revert_import, start_import
from crm.imports.sheets import convert_sheet
from crm.projects.models import Project, StageEvent
from crm.units.models import Unit
from crm.users.models import User
from tests.factories import new_company, new_project

N = None
LIMITS = Limits(max_bytes=1024 * 1024, max_rows=1000)


def xlsx(rows: list[list[object]], merges: tuple[str, ...] = ()) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "项目台账"
    for row in rows:
        sheet.append(row)
    for cells in merges:
        sheet.merge_cells(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def ledger(*data: list[object]) -> bytes:
    """A 项目台账 as a branch keeps it: title, 填报单位 line, headers on two rows, the rows, a 合计 and a note."""
    rows = [
        ["甲县2025年招商引资项目台账", N, N, N, N, N, N, N, N, N],
        ["填报单位：甲县第一招商分局", N, N, N, N, N, N, N, N, "单位：万元"],
        ["序号", "项目名称", "投资方", "总投资", "合同引资额", "项目阶段", "签约时间", "开工时间", "跟踪人", "所属单位"],
        [N, N, N, "（亿元）", N, N, N, N, N, N],
        *data,
        ["合计", N, N, 999, N, N, N, N, N, N],
        ["注：总投资单位为亿元。", N, N, N, N, N, N, N, N, N],
    ]
    merges = ("A1:J1", "A3:A4", "B3:B4", "C3:C4", "E3:E4", "F3:F4", "G3:G4", "H3:H4", "I3:I4", "J3:J4")
    return xlsx(rows, merges)


STAFF = "staff_a1姓名"
ROWS = [
    [1, "新材料产业园", "洛阳栾川钼业集团", 1.2, "3,000万元", "已签约", "2025.4", N, STAFF, "甲县第一招商分局"],
    [2, "中德纺织科技园", "海威香港实业有限公司", "9.6亿", 5000, "在建", "2025年1月", "2025/4/15", N, N],
    [3, "冷链物流园", "荣格精工有限公司", "13", N, "洽谈中", N, N, N, N],
]


def sheet_of(data: bytes, kind: Kind = Kind.PROJECTS):
    return convert_sheet(open_book(data, "台账.xlsx", LIMITS).sheet(), kind)


@contextmanager
def acting(app, user: User) -> Iterator[object]:
    """The app's session as ``user`` would have it: their scope and their name in the audit log."""
    with app.app_context():
        set_scope(db.session, SYSTEM)
        actor = build_actor(db.session.get(User, user.id))
        set_scope(db.session, actor)
        set_audit_actor(db.session, user.id, user.display_name)
        yield actor


def commit(app, world, data: bytes, who: str = "staff", kind: Kind = Kind.PROJECTS, decisions=None):
    with acting(app, world.users[who]) as actor:
        unit = db.session.get(Unit, world.users[who].unit_id)
        outcome = commit_import(actor, kind, sheet_of(data, kind), unit, decisions, file_name="台账.xlsx",
                                sha256=hashlib.sha256(data).hexdigest())
        db.session.commit()
        return outcome


def plan(app, world, data: bytes, who: str = "staff", kind: Kind = Kind.PROJECTS, decisions=None):
    with acting(app, world.users[who]) as actor:
        unit = db.session.get(Unit, world.users[who].unit_id)
        return plan_import(actor, kind, sheet_of(data, kind), unit, decisions)


SHEET_NAMES = ("新材料产业园", "中德纺织科技园", "冷链物流园", "金刚石微粉项目", "石材建材工业城", "精工配套项目", "另一个项目")


def projects_of(session, unit_id: int) -> list[Project]:
    """The unit's projects of the sheets here (the world has others)."""
    session.expire_all()
    return list(session.scalars(
        sa.select(Project).where(Project.unit_id == unit_id, Project.name.in_(SHEET_NAMES)).order_by(Project.id)
    ))


def test_the_plan_of_a_projects_sheet_writes_nothing(app, session, world):
    before = session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    result = plan(app, world, ledger(*ROWS))
    by_row = {r.row: r for r in result.rows}
    assert [by_row[5].action, by_row[6].action, by_row[7].action] == [Action.NEW, Action.NEW, Action.NEW]
    assert by_row[5].company.is_new and by_row[7].company.company_id == world.records["company"]  # linked by its name
    assert {c.label: c.new for c in by_row[5].changes}["总投资（亿元）"] == "1.20 亿元"
    assert {c.label: c.new for c in by_row[6].changes}["项目阶段"] == "开工"
    assert by_row[8].action is Action.SKIPPED and by_row[8].reason == "合计/小计行，已跳过"
    totals = result.totals
    assert (totals.rows, totals.new, totals.errors, totals.skipped) == (5, 3, 0, 2)
    assert projects_of(session, world.units["branch_a1"].id) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == before


def test_commit_writes_projects_with_their_stage_history_and_a_second_import_changes_nothing(app, session, world):
    data = ledger(*ROWS)
    outcome = commit(app, world, data)
    assert (outcome.created, outcome.updated, outcome.skipped, outcome.refused) == (3, 0, 2, ())
    unit_id = world.units["branch_a1"].id
    projects = {p.name: p for p in projects_of(session, unit_id)}
    assert set(projects) == {"新材料产业园", "中德纺织科技园", "冷链物流园"}
    textile = projects["中德纺织科技园"]
    assert (textile.stage, textile.total_investment, textile.contracted_amount) == (Stage.STARTED, Decimal("96000.00"), Decimal("5000.00"))
    assert textile.owner_id == world.users["staff"].id and str(textile.tracked_since) == "2025-01-01"
    events = session.scalars(sa.select(StageEvent).where(StageEvent.project_id == textile.id).order_by(StageEvent.id)).all()
    assert [(e.to_stage, e.period, e.review_status, e.import_id) for e in events] == [
        (Stage.SIGNED, "2025-01", ReviewStatus.APPROVED, outcome.import_id),
        (Stage.REGISTERED, "2025-04", ReviewStatus.APPROVED, outcome.import_id),
        (Stage.STARTED, "2025-04", ReviewStatus.APPROVED, outcome.import_id),
    ]
    assert textile.start_month == "2025-04" and textile.signed_month == "2025-01"
    assert projects["冷链物流园"].company_id == world.records["company"] and projects["冷链物流园"].stage is Stage.TALKS
    assert session.scalar(sa.select(Company.id).where(Company.name == "洛阳栾川钼业集团")) == projects["新材料产业园"].company_id
    record = session.get(Import, outcome.import_id)
    assert (record.kind, record.rows, record.created, record.updated, record.skipped, record.unit_id) == ("projects", 5, 3, 0, 2, unit_id)
    assert record.sha256 == hashlib.sha256(data).hexdigest() and record.user_id == world.users["staff"].id

    audit_rows = session.scalar(sa.select(sa.func.count()).select_from(AuditLog))
    again = commit(app, world, data)
    assert (again.created, again.updated) == (0, 0)
    assert [r.action for r in again.plan.rows if r.action is not Action.SKIPPED] == [Action.UNCHANGED] * 3
    assert len(projects_of(session, unit_id)) == 3
    assert session.scalar(sa.select(sa.func.count()).select_from(AuditLog)) == audit_rows
    assert session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.name == "洛阳栾川钼业集团")) == 1


def test_a_changed_sheet_updates_and_lists_the_changed_fields(app, session, world):
    commit(app, world, ledger(*ROWS))
    changed = [ROWS[0][:3] + [1.5, "3,000万元", "在建", "2025.4", "2025.6", STAFF, N]]
    result = plan(app, world, ledger(*changed))
    row = result.rows[0]
    assert row.action is Action.UPDATE
    assert {(c.label, c.old, c.new) for c in row.changes} == {("总投资（亿元）", "1.20 亿元", "1.50 亿元"), ("项目阶段", "签约", "开工")}


def test_an_unknown_person_or_another_units_row_is_a_row_error_with_row_and_column(app, session, world):
    rows = [
        [1, "金刚石微粉项目", "惠丰金刚石有限公司", "1.5亿元", N, "已投产", N, N, "不存在的人", N],
        [2, "石材建材工业城", "鲁山县石材有限公司", 2, N, "洽谈中", N, N, N, "甲县第二招商分局"],
    ]
    result = plan(app, world, ledger(*rows))
    assert [r.action for r in result.rows[:2]] == [Action.ERROR, Action.ERROR]
    assert result.rows[0].errors == ("第 5 行 I 列（跟踪人）：在甲县第一招商分局找不到在职人员“不存在的人”",)
    assert result.rows[1].errors == ("第 6 行 J 列（所属单位）：该行属于“甲县第二招商分局”，不能导入到“甲县第一招商分局”",)
    outcome = commit(app, world, ledger(*rows))
    assert outcome.created == 0 and outcome.skipped == 4
    # Nothing from a refused row: not even its investor.
    assert session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.name == "惠丰金刚石有限公司")) == 0


def test_a_row_the_service_refuses_among_new_rows_leaves_only_itself_out(app, session, world):
    """New rows are written together (``BULK_WRITERS``); one the projects service refuses (合同引资额 above 总投资,
    which the plan does not check) makes the part be written again row by row: the others come in once, and
    nothing of the refused row does, not even its new investor."""
    rows = [
        ROWS[0],
        [2, "中德纺织科技园", "不该留下的投资方有限公司", 1, "3亿", "洽谈中", N, N, N, N],
        ROWS[2],
        [4, "精工配套项目", "另一家新投资方有限公司", 2, N, "已签约", "2025.3", N, N, N],
    ]
    outcome = commit(app, world, ledger(*rows))
    assert (outcome.created, outcome.refused) == (3, ("第 6 行：合同引资额不能大于总投资",))
    unit_id = world.units["branch_a1"].id
    assert [p.name for p in projects_of(session, unit_id)] == ["新材料产业园", "冷链物流园", "精工配套项目"]
    names = ("洛阳栾川钼业集团", "不该留下的投资方有限公司", "另一家新投资方有限公司")
    counts = dict(session.execute(sa.select(Company.name, sa.func.count()).where(Company.name.in_(names)).group_by(Company.name)).all())
    assert counts == {"洛阳栾川钼业集团": 1, "另一家新投资方有限公司": 1}
    items = session.scalars(sa.select(Import).where(Import.id == outcome.import_id)).one().items
    assert sorted((i.row, i.record_type) for i in items) == [
        (5, "companies"), (5, "project_stage_events"), (5, "projects"), (7, "projects"),
        (8, "companies"), (8, "project_stage_events"), (8, "projects"),
    ]


def test_an_ambiguous_investor_waits_for_a_decision(app, session, world):
    with app.app_context():
        set_scope(db.session, SYSTEM)
        third = new_company(db.session, "广州市荣格精工有限公司")
        db.session.commit()
    rows = [[1, "精工配套项目", "荣格精工股份有限公司", 1, N, "洽谈中", N, N, N, N]]
    waiting = plan(app, world, ledger(*rows)).rows[0]
    assert waiting.action is Action.DECISION
    assert {c.company_id for c in waiting.company.candidates} >= {world.records["company"], third.id}
    outcome = commit(app, world, ledger(*rows))
    assert outcome.created == 0 and projects_of(session, world.units["branch_a1"].id) == []
    linked = commit(app, world, ledger(*rows), decisions={5: third.id})
    assert linked.created == 1 and projects_of(session, world.units["branch_a1"].id)[0].company_id == third.id
    rows[0][1] = "另一个项目"
    new = commit(app, world, ledger(*rows), decisions={5: NEW_COMPANY})
    assert new.created == 1
    assert session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.name == "荣格精工股份有限公司")) == 1


def test_another_units_project_of_the_same_name_is_never_matched_or_written(app, session, world):
    theirs = new_project(session, world, unit="branch_a2", owner="staff_a2", name="冷链物流园", total_investment=Decimal("1"))
    session.commit()
    outcome = commit(app, world, ledger(ROWS[2]))
    assert outcome.created == 1
    session.expire_all()
    assert session.get(Project, theirs.id).total_investment == Decimal("1.00")
    assert [p.name for p in projects_of(session, world.units["branch_a1"].id)] == ["冷链物流园"]


def test_a_reviewer_cannot_import_projects_into_a_unit(app, world):
    import pytest

    from crm.imports.services import ImportRefused

    with pytest.raises(ImportRefused) as refused:
        plan(app, world, ledger(*ROWS), who="reviewer")
    assert refused.value.message == "您不能向“甲县招商局”导入记录"


def test_revert_deletes_what_was_created_and_restores_what_was_updated(app, session, world):
    first = commit(app, world, ledger(*ROWS))
    second = commit(app, world, ledger(ROWS[0][:3] + [1.5, "3,000万元", "在建", "2025.4", "2025.6", STAFF, N]))
    assert second.updated == 1
    with acting(app, world.users["staff"]) as actor:
        done = revert_import(actor, second.import_id)
        db.session.commit()
    assert (done.deleted, done.restored) == (2, 1)  # the 注册 and 开工 steps; the project's fields
    unit_id = world.units["branch_a1"].id
    material = next(p for p in projects_of(session, unit_id) if p.name == "新材料产业园")
    assert (material.total_investment, material.stage, material.start_month) == (Decimal("12000.00"), Stage.SIGNED, None)
    with acting(app, world.users["staff"]) as actor:
        done = revert_import(actor, first.import_id)
        db.session.commit()
    assert projects_of(session, unit_id) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.name == "洛阳栾川钼业集团")) == 0
    assert session.get(Company, world.records["company"]) is not None  # linked, not created: kept


def test_revert_is_refused_after_a_change_since_and_after_30_days(app, session, world):
    outcome = commit(app, world, ledger(ROWS[0]))
    with acting(app, world.users["staff_a2"]) as someone_else:
        try:
            revert_import(someone_else, outcome.import_id)
            raise AssertionError("only the importer reverts an import")
        except RevertRefused as refused:
            assert refused.message == f"找不到导入记录 #{outcome.import_id}（只能撤销自己的导入）"
    with acting(app, world.users["staff"]):
        project = db.session.scalars(sa.select(Project).where(Project.name == "新材料产业园")).one()
        project.site = "产业集聚区"
        db.session.commit()
    with acting(app, world.users["staff"]) as actor:
        try:
            revert_import(actor, outcome.import_id)
            raise AssertionError("a revert over a later change must be refused")
        except RevertRefused as refused:
            assert refused.changed == ("第 5 行的项目“新材料产业园”",)
        db.session.rollback()
    other = commit(app, world, ledger(ROWS[1]))
    late = session.get(Import, other.import_id)
    late.created_at -= timedelta(days=31)
    session.commit()
    with acting(app, world.users["staff"]) as actor:
        try:
            revert_import(actor, other.import_id)
            raise AssertionError("a revert after 30 days must be refused")
        except RevertRefused as refused:
            assert refused.message == "导入已超过 30 天，不能撤销"


def test_companies_link_by_credit_code_and_fill_only_blanks(app, session, world):
    with app.app_context():
        set_scope(db.session, SYSTEM)
        coded = new_company(db.session, "平顶山华源新材料有限公司", credit_code="91410400MA44X0D12Y", website="old.example.cn")
        db.session.commit()
    rows = [
        ["企业名录", N, N, N],
        ["企业名称", "统一社会信用代码", "网址", "联系人"],
        ["华源新材料", "91410400MA44X0D12Y", "new.example.cn", "王经理"],
        ["郑州新企业科技有限公司", N, "a.example.cn", N],
    ]
    result = plan(app, world, xlsx(rows), kind=Kind.COMPANIES)
    assert [r.action for r in result.rows] == [Action.UPDATE, Action.NEW]
    assert result.rows[0].company.company_id == coded.id
    assert [c.label for c in result.rows[0].changes] == ["联系人"]  # the website is kept: only blanks are filled
    outcome = commit(app, world, xlsx(rows), kind=Kind.COMPANIES)
    assert (outcome.created, outcome.updated) == (1, 1)
    session.expire_all()
    assert [c.name for c in session.get(Company, coded.id).contacts] == ["王经理"]
    assert session.get(Company, coded.id).website == "old.example.cn"
    again = plan(app, world, xlsx(rows), kind=Kind.COMPANIES)
    assert [r.action for r in again.rows] == [Action.LINKED, Action.LINKED]


def test_the_command_line_imports_dry_runs_and_reverts(app, session, world, tmp_path):
    path = tmp_path / "台账.xlsx"
    path.write_bytes(ledger(*ROWS, [9, "金刚石微粉项目", "惠丰金刚石有限公司", 1, N, "洽谈中", N, N, "不存在的人", N]))
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["import", "projects", str(path), "--user", "staff_a1", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "第 8 行 I 列（跟踪人）：在甲县第一招商分局找不到在职人员“不存在的人”" in dry.output
    assert dry.output.strip().splitlines()[-1] == "dry run: 6 rows, 3 created, 0 updated, 3 skipped"
    assert projects_of(session, world.units["branch_a1"].id) == []
    done = runner.invoke(args=["import", "projects", str(path), "--user", "staff_a1", "--unit", "甲县第一招商分局"])
    assert done.exit_code == 0, done.output
    import_id = session.scalar(sa.select(sa.func.max(Import.id)))
    assert done.output.strip().splitlines()[-1] == f"import #{import_id}: 6 rows, 3 created, 0 updated, 3 skipped"
    assert len(projects_of(session, world.units["branch_a1"].id)) == 3
    reverted = runner.invoke(args=["import", "revert", str(import_id), "--user", "staff_a1"])
    assert reverted.exit_code == 0, reverted.output
    assert projects_of(session, world.units["branch_a1"].id) == []
    bad = tmp_path / "台账.csv"
    bad.write_bytes(b"%PDF-1.7\x00\x00")
    assert runner.invoke(args=["import", "projects", str(bad), "--user", "staff_a1"]).exit_code == 2
    unknown = runner.invoke(args=["import", "projects", str(path), "--user", "staff_a1", "--unit", "没有这个单位"])
    assert unknown.exit_code == 2 and "找不到单位“没有这个单位”" in unknown.output
    # DESIGN's form, without --user: an admin over the unit imports, into the unit, as its chief would.
    as_admin = runner.invoke(args=["import", "projects", str(path), "--unit", "甲县第一招商分局"])
    assert as_admin.exit_code == 0, as_admin.output
    assert as_admin.output.strip().splitlines()[-1].endswith("6 rows, 3 created, 0 updated, 3 skipped")
    assert session.get(Import, session.scalar(sa.select(sa.func.max(Import.id)))).user_id == world.users["admin"].id
    no_unit = runner.invoke(args=["import", "projects", str(path)])
    assert no_unit.exit_code == 2 and "请用 --unit 指明导入到哪个单位" in no_unit.output
    headless = tmp_path / "说明.xlsx"
    headless.write_bytes(xlsx([["本表为说明"], ["没有表头"]]))
    no_header = runner.invoke(args=["import", "projects", str(headless), "--user", "staff_a1"])
    assert no_header.exit_code == 2 and "找不到表头" in no_header.output


LEADS = [
    ["线索台账", N, N, N, N, N],
    ["线索名称", "投资方", "来源方式", "拟投资额", "接收日期", "线索状态"],
    [N, N, N, "（亿元）", N, N],
    ["新能源电池项目线索", "宁德新能源科技有限公司", "以商招商", "1-2亿", "2025/3/8", "跟进中"],
    ["无来源线索", "宁德新能源科技有限公司", N, 1, N, N],
]


def test_leads_are_created_then_matched_by_name_and_a_missing_source_is_a_row_error(app, session, world):
    from crm.domain.leads import LeadSource, LeadStatus
    from crm.leads.models import Lead

    data = xlsx(LEADS, ("A1:F1",))
    result = plan(app, world, data, kind=Kind.LEADS)
    assert [r.action for r in result.rows] == [Action.NEW, Action.ERROR]
    assert result.rows[1].errors == ("第 5 行 C 列（来源方式）：必填，不能为空",)
    outcome = commit(app, world, data, kind=Kind.LEADS)
    assert (outcome.created, outcome.skipped) == (1, 1)
    lead = session.scalars(sa.select(Lead).where(Lead.name == "新能源电池项目线索")).one()
    assert (lead.source, lead.amount_low, lead.amount_high, str(lead.received_on), lead.status) == (
        LeadSource.BUSINESS_REFERRAL, Decimal("10000.00"), Decimal("20000.00"), "2025-03-08", LeadStatus.FOLLOWING)
    assert (lead.unit_id, lead.owner_id) == (world.units["branch_a1"].id, world.users["staff"].id)
    again = plan(app, world, data, kind=Kind.LEADS)
    assert again.rows[0].action is Action.UNCHANGED
    with acting(app, world.users["staff"]) as actor:
        chosen = plan_import(actor, Kind.LEADS, sheet_of(data, Kind.LEADS), db.session.get(Unit, world.units["branch_a1"].id),
                             defaults={"source": LeadSource.EXPO})
    assert chosen.rows[1].action is Action.NEW  # a 来源方式 chosen up front


def test_a_leads_next_follow_up_day_becomes_its_follow_up_task_once(app, session, world):
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead

    with app.app_context():
        today = local_today()
    soon, past = today + timedelta(days=7), today - timedelta(days=3)
    rows = [
        ["线索台账", N, N, N],
        ["线索名称", "投资方", "来源方式", "下次跟进日期"],
        ["新能源电池项目线索", "宁德新能源科技有限公司", "以商招商", soon.isoformat()],
        ["储能项目线索", "宁德新能源科技有限公司", "以商招商", past.isoformat()],
    ]
    data = xlsx(rows, ("A1:D1",))
    result = plan(app, world, data, kind=Kind.LEADS)
    assert {c.label: c.new for c in result.rows[0].changes}["下次跟进日期"] == soon.isoformat()
    outcome = commit(app, world, data, kind=Kind.LEADS)
    assert (outcome.created, outcome.refused) == (2, ())
    lead = session.scalars(sa.select(Lead).where(Lead.name == "新能源电池项目线索")).one()
    tasks = session.scalars(sa.select(FollowUp).where(FollowUp.lead_id == lead.id)).all()
    assert [(t.due_on, t.assignee_id) for t in tasks] == [(soon, world.users["staff"].id)] and lead.next_follow_up_on == soon
    late = session.scalars(sa.select(Lead).where(Lead.name == "储能项目线索")).one()
    assert late.next_follow_up_on == past  # as on the form: a day gone by is a task overdue in 我的待办
    again = commit(app, world, xlsx(rows[:3], ("A1:D1",)), kind=Kind.LEADS)
    assert (again.created, again.updated) == (0, 0)
    assert session.scalar(sa.select(sa.func.count()).select_from(FollowUp).where(FollowUp.lead_id == lead.id)) == 1


def test_funds_by_month_columns_go_to_the_units_project_once(app, session, world):
    from crm.progress.models import FundArrival

    commit(app, world, ledger(ROWS[1]))
    rows = [
        ["2025年到位资金台账", N, N, N, N],
        ["填报单位：甲县第一招商分局", N, N, N, "单位：万元"],
        ["项目名称", "来源地", "1月", "2月", "3月"],
        ["中德纺织科技园", "省外", 1200, N, "0.3亿"],
        ["没有的项目", "省外", 100, N, N],
        ["合计", N, 1300, N, 3000],
    ]
    data = xlsx(rows, ("A1:E1",))
    result = plan(app, world, data, kind=Kind.FUNDS)
    assert [r.action for r in result.rows] == [Action.NEW, Action.ERROR, Action.SKIPPED]
    assert result.rows[1].errors == ("第 5 行 A 列（项目名称）：本单位没有名为“没有的项目”的项目",)
    outcome = commit(app, world, data, kind=Kind.FUNDS)
    assert outcome.created == 1
    project = session.scalars(sa.select(Project).where(Project.name == "中德纺织科技园")).one()
    funds = session.scalars(sa.select(FundArrival).where(FundArrival.project_id == project.id).order_by(FundArrival.period)).all()
    assert [(f.period, f.amount, f.review_status) for f in funds] == [
        ("2025-01", Decimal("1200.00"), ReviewStatus.PENDING), ("2025-03", Decimal("3000.00"), ReviewStatus.PENDING)]
    assert plan(app, world, data, kind=Kind.FUNDS).rows[0].action is Action.UNCHANGED


def test_issues_need_a_category_and_source_and_are_raised_once(app, session, world):
    from crm.domain.issues import IssueCategory, IssueSource, IssueStatus
    from crm.issues.models import Issue

    rows = [
        ["问题台账", N, N, N, N, N, N],
        ["问题描述", "问题类别", "问题来源", "责任单位", "负责人", "办理期限", "办理状态"],
        ["厂房用地指标未落实", "用地", "周督查", "甲县第一招商分局", "王局长", "2025年6月", "办理中"],
        ["道路未通", N, N, "甲县第一招商分局", "李局长", "2025/7/1", N],
    ]
    data = xlsx(rows, ("A1:G1",))
    result = plan(app, world, data, kind=Kind.ISSUES, who="chief")
    assert [r.action for r in result.rows] == [Action.NEW, Action.ERROR]
    assert result.rows[1].errors == ("第 4 行 B 列（问题类别）：必填，不能为空", "第 4 行 C 列（问题来源）：必填，不能为空")
    outcome = commit(app, world, data, kind=Kind.ISSUES, who="chief")
    assert outcome.created == 1 and outcome.refused == ()
    issue = session.scalars(sa.select(Issue).where(Issue.description == "厂房用地指标未落实")).one()
    assert (issue.category, issue.source, str(issue.deadline), str(issue.raised_on), issue.status) == (
        IssueCategory.LAND, IssueSource.WEEKLY_INSPECTION, "2025-06-30", "2025-06-30", IssueStatus.IN_PROGRESS)
    assert plan(app, world, data, kind=Kind.ISSUES, who="chief").rows[0].action is Action.UNCHANGED
    with acting(app, world.users["chief"]) as actor:
        revert_import(actor, outcome.import_id)
        db.session.commit()
    assert session.scalars(sa.select(Issue).where(Issue.description == "厂房用地指标未落实")).first() is None


def test_visits_link_their_company_and_people_and_come_in_once(app, session, world):
    from crm.domain.visits import VisitOutcome, VisitType
    from crm.visits.models import Visit

    rows = [
        ["2025年走访记录", N, N, N, N],
        ["走访日期", "走访企业", "带队领导", "参加人员", "走访成果"],
        ["2025年3月8日", "荣格精工有限公司", "leader_a姓名", "staff_a1姓名、chief_a1姓名", "达成意向"],
        ["2025/3/9", "荣格精工有限公司", "不认识的领导", N, N],
    ]
    data = xlsx(rows, ("A1:E1",))
    result = plan(app, world, data, kind=Kind.VISITS)
    assert [r.action for r in result.rows] == [Action.NEW, Action.ERROR]
    assert result.rows[1].errors == ("第 4 行 C 列（带队领导）：找不到带队领导“不认识的领导”：须为本县（或上级）的领导",)
    assert commit(app, world, data, kind=Kind.VISITS).created == 1
    visit = session.scalars(sa.select(Visit).where(Visit.unit_id == world.units["branch_a1"].id, Visit.start_on == date(2025, 3, 8))).one()
    assert visit.outcome is VisitOutcome.INTENT
    assert (visit.type, visit.leader_id, [s.company_id for s in visit.stops]) == (VisitType.OUTBOUND, world.users["leader"].id, [world.records["company"]])
    assert {u.id for u in visit.participants} == {world.users["staff"].id, world.users["chief"].id}
    assert plan(app, world, data, kind=Kind.VISITS).rows[0].action is Action.UNCHANGED


def test_only_a_county_role_writes_as_a_unit_of_its_subtree(app, world):
    import pytest

    from crm.access.policy import delegated_actor
    from crm.domain.access import Role

    branch = world.units["branch_a1"]
    for who in ("admin", "staff", "leader", "admin_b", "chief"):
        with acting(app, world.users[who]) as actor:
            unit = db.session.get(Unit, branch.id)
            if who == "admin":
                acting_for = delegated_actor(actor, unit)
                assert (acting_for.role, acting_for.unit_id, acting_for.user_id) == (Role.CHIEF, branch.id, actor.user_id)
                assert acting_for.subtree == {branch.id, world.units["squad_a1"].id}
            else:  # staff and chiefs write into their own unit only; leaders never; another county's admin not here
                with pytest.raises(ValueError):
                    delegated_actor(actor, unit)


def test_a_long_import_refreshes_the_planner_statistics_of_the_tables_it_grows_on_postgresql(app, session, world, monkeypatch):
    """A first big import into a fresh database grows tables whose statistics say a dozen rows: PostgreSQL would
    plan its later look-ups as sequential scans. Past ``FIRST_ANALYZE`` rows (and each doubling) the import runs
    ANALYZE inside its transaction; SQLite has no such statistics to refresh."""
    import crm.imports.services as services

    monkeypatch.setattr(services, "FIRST_ANALYZE", 1)
    monkeypatch.setattr(services, "BULK_ROWS", 1)
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        statements.append(statement)

    engine = session.get_bind()
    sa.event.listen(engine, "before_cursor_execute", seen)
    try:
        outcome = commit(app, world, ledger(*ROWS))
    finally:
        sa.event.remove(engine, "before_cursor_execute", seen)
    assert outcome.created == 3
    analyzed = [s for s in statements if s.startswith("ANALYZE")]
    if engine.dialect.name == "postgresql":
        assert len(analyzed) == 2 and '"projects"' in analyzed[0] and '"audit_log"' in analyzed[0]  # after rows 1 and 2
    else:
        assert analyzed == []
    assert [p.name for p in projects_of(session, world.units["branch_a1"].id)] == ["新材料产业园", "中德纺织科技园", "冷链物流园"]


def commit_in_parts(app, world, data: bytes, size: int, who: str = "staff", between=None):
    """The upload page's way with a long sheet: the import recorded, then its rows written ``size`` at a time, each
    part in a transaction of its own; ``between(part)`` runs after each part's commit (someone else's edit)."""
    with acting(app, world.users[who]) as actor:
        unit = db.session.get(Unit, world.users[who].unit_id)
        sheet = sheet_of(data)
        record = start_import(actor, Kind.PROJECTS, sheet, unit, file_name="台账.xlsx", sha256=hashlib.sha256(data).hexdigest())
        db.session.commit()
        import_id, parts = record.id, 0
    while True:
        with acting(app, world.users[who]) as actor:
            record = db.session.get(Import, import_id)
            if record.finished:
                return record.id
            commit_part(actor, Kind.PROJECTS, sheet, db.session.get(Unit, world.users[who].unit_id), None, record, size)
            db.session.commit()
            parts += 1
        if between is not None:
            between(parts)


def test_a_sheet_written_in_parts_gives_what_one_commit_gives_and_links_a_later_parts_investor(app, session, world):
    """Rows 5 and 7 name one new investor; with one row a part, row 7 is planned after row 5's company was committed
    and links to it instead of creating a second one. The record adds up the parts."""
    rows = [ROWS[0], ROWS[1], [3, "另一个项目", "洛阳栾川钼业集团", 2, N, "洽谈中", N, N, N, N]]
    import_id = commit_in_parts(app, world, ledger(*rows), size=1)
    record = session.get(Import, import_id)
    assert (record.rows, record.rows_done, record.created, record.updated, record.skipped) == (5, 5, 3, 0, 2)
    assert record.finished_at is not None and record.upload_token is None
    unit_id = world.units["branch_a1"].id
    projects = {p.name: p for p in projects_of(session, unit_id)}
    assert set(projects) == {"新材料产业园", "中德纺织科技园", "另一个项目"}
    assert projects["另一个项目"].company_id == projects["新材料产业园"].company_id
    assert session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.name == "洛阳栾川钼业集团")) == 1
    assert {i.row for i in record.items if i.record_type == "projects"} == {5, 6, 7}
    with acting(app, world.users["staff"]) as actor:
        done = revert_import(actor, import_id)
        db.session.commit()
    assert done.kept == () and projects_of(session, unit_id) == []
    assert session.scalar(sa.select(sa.func.count()).select_from(Company).where(Company.name == "洛阳栾川钼业集团")) == 0


def test_a_part_is_written_once_and_nothing_after_the_last_or_a_revert(app, session, world):
    data = ledger(*ROWS)
    with acting(app, world.users["staff"]) as actor:
        unit = db.session.get(Unit, world.users["staff"].unit_id)
        sheet = sheet_of(data)
        record = start_import(actor, Kind.PROJECTS, sheet, unit, file_name="台账.xlsx", sha256="x")
        db.session.commit()
        stale = Import(id=record.id, rows=record.rows, rows_done=0)  # what a second tab read before the first wrote
        commit_part(actor, Kind.PROJECTS, sheet, unit, None, record, 3)
        db.session.commit()
        try:
            commit_part(actor, Kind.PROJECTS, sheet, unit, None, stale, 3)
            raise AssertionError("a part another request wrote must not be written again")
        except PartTaken:
            db.session.rollback()
        revert_import(actor, record.id)
        db.session.commit()
        record = db.session.get(Import, record.id)
        try:
            commit_part(actor, Kind.PROJECTS, sheet, unit, None, record, 3)
            raise AssertionError("a reverted import takes no more parts")
        except PartTaken:
            db.session.rollback()
    assert projects_of(session, world.units["branch_a1"].id) == []


def test_a_record_edited_between_parts_is_a_change_since_and_kept_by_the_revert(app, session, world):
    """Someone edits the project of part 1 while part 2 is being written: the revert lists it as changed since,
    though the edit's audit rows lie inside the import's first and last audit rows."""
    def edit(part: int) -> None:
        if part == 1:
            with acting(app, world.users["staff"]):
                project = db.session.scalars(sa.select(Project).where(Project.name == "新材料产业园")).one()
                project.site = "产业集聚区"
                db.session.commit()

    import_id = commit_in_parts(app, world, ledger(ROWS[0], ROWS[1]), size=1, between=edit)
    with acting(app, world.users["staff"]) as actor:
        try:
            revert_import(actor, import_id)
            raise AssertionError("an edit between two parts is a change since the import")
        except RevertRefused as refused:
            assert refused.changed == ("第 5 行的项目“新材料产业园”",)
        db.session.rollback()
        done = revert_import(actor, import_id, leave_changed=True)
        db.session.commit()
    assert [p.name for p in projects_of(session, world.units["branch_a1"].id)] == ["新材料产业园"]
    assert "第 5 行的项目“新材料产业园”" in done.kept
