"""项目简报 per 分包县级领导 (issue 16): one printed page per leader with stage, 红黄绿, the next 节点, open issues,
到位资金 against the 合同引资额 and the last visit or 现场办公 — under the reader's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from crm.domain.companies import FundingSource
from crm.domain.projects import FundPurpose, ReviewStatus
from crm.progress.models import FundArrival
from crm.projects.models import Project
from tests.helpers import in_app


def _funds(app, world) -> None:
    with in_app(app) as session:
        project = session.get(Project, world.records["assignments_project"])
        project.contracted_amount = Decimal("40000")
        session.add_all([
            FundArrival(project_id=project.id, period="2026-10", amount=Decimal("10000"), source=FundingSource.OTHER_PROVINCE,
                        purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.APPROVED),
            FundArrival(project_id=project.id, period="2026-11", amount=Decimal("5000"), source=FundingSource.OTHER_PROVINCE,
                        purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.PENDING),  # not yet in place
        ])
        session.commit()


def test_a_leader_prints_the_brief_of_their_projects(app, client, login_as, world):
    _funds(app, world)
    login_as("leader")
    assert 'data-testid="brief-link"' in client.get("/my-projects").get_data(as_text=True)
    page = client.get("/my-projects/briefs").get_data(as_text=True)
    assert page.count('data-testid="brief"') == 1
    assert "leader_a姓名分包项目简报" in page and "星河三个一测试项目" in page
    assert "1.00 亿元 / 4.00 亿元" in page and "到位 25.0%" in page  # the approved 1 亿 of the 4 亿 contracted; pending not counted
    assert "乙县三个一测试项目" not in page


def test_county_roles_print_every_leaders_brief_and_nobody_sees_another_countys(app, client, login_as, world, auth):
    login_as("reviewer")
    page = client.get("/my-projects/briefs").get_data(as_text=True)
    assert "leader_a姓名分包项目简报" in page
    assert client.get(f"/my-projects/briefs?leader={world.users['leader'].id}").status_code == 200
    assert client.get(f"/my-projects/briefs?leader={world.users['staff'].id}").status_code == 404  # no projects to brief
    auth.logout()
    login_as("staff_b")
    assert client.get(f"/my-projects/briefs?leader={world.users['leader'].id}").status_code == 404
    assert "星河三个一测试项目" not in client.get("/my-projects/briefs").get_data(as_text=True)


def test_the_brief_takes_the_last_visit_and_the_last_onsite_work(app, world):
    from datetime import datetime, timezone

    from crm.assignments.briefs import brief_of
    from crm.domain.issues import IssueActionKind
    from crm.domain.visits import VisitType
    from crm.issues.models import IssueAction
    from crm.users.models import User
    from crm.visits.models import Visit, VisitCompany
    from tests.factories import new_issue

    project_id, company_id = world.records["assignments_project"], world.records["company"]
    with in_app(app) as session:
        unit_id = world.units["branch_a1"].id
        for day in (date(2026, 10, 9), date(2026, 11, 20), date(2026, 12, 20)):  # the last one is still to come
            visit = Visit(unit_id=unit_id, type=VisitType.OUTBOUND, start_on=day)
            session.add(visit)
            session.flush()
            session.add(VisitCompany(visit_id=visit.id, company_id=company_id))
        issue = new_issue(session, unit_id=unit_id, project_id=project_id, deadline=date(2026, 11, 1))
        session.add(IssueAction(issue_id=issue.id, kind=IssueActionKind.ONSITE, actor_id=world.users["leader"].id,
                                at=datetime(2026, 11, 27, 17, tzinfo=timezone.utc)))  # the 28th in the county
        session.commit()
        brief = brief_of(session.get(User, world.users["leader"].id), date(2026, 12, 3))
        (row,) = brief.rows
        assert (row.last_visit, row.last_onsite) == (date(2026, 11, 20), date(2026, 11, 28))
        assert [i.id for i in row.issues] == [issue.id] and row.item.overdue_issues == 1
        assert brief.count(row.item.rag[0]) == 1
