"""More of every record, around the world's own ones, for tests that a page's cost does not grow with the data.

``grow(app, world, n)`` adds, n times over, in branch_a1 (staff's unit), branch_a2 (the same county) and branch_b1
(another county): a company with another name and a contact, a lead with follow-ups, a visit, a project with
approved stage history, funds, a milestone, a progress report, an issue with its log, a 分包领导 and a
服务专班, an agreement and notifications; and it hangs more children on the world's own records (its project,
lead, company and the 倒排工期 project), so that their detail pages have more to show too.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import count
from decimal import Decimal
from typing import Any

_ISSUE_NUMBERS = count(1)  # issue numbers are short (20 characters) and unique

UNITS = (("branch_a1", "staff"), ("branch_a2", "staff_a2"), ("branch_b1", "staff_b"))


def grow(app: Any, w: Any, n: int) -> None:
    from crm.access.scoping import SYSTEM, set_scope
    from crm.extensions import db

    with app.app_context():
        set_scope(db.session, SYSTEM)
        for i in range(n):
            for unit, owner in UNITS:
                _unit_records(db.session, w, unit, owner, f"{unit}-{w.records.setdefault('grown', 0) + i}")
            _children_of_the_worlds_records(db.session, w, i)
        w.records["grown"] += n
        db.session.commit()


def _unit_records(session: Any, w: Any, unit: str, owner: str, tag: str) -> None:
    from crm.agreements.models import Agreement
    from crm.assignments.models import TeamMember
    from crm.companies.models import Company, CompanyName, Contact
    from crm.companies.services import refresh_derived
    from crm.domain.agreements import AgreementType
    from crm.domain.companies import OtherNameKind
    from crm.domain.leads import LeadSource
    from crm.domain.pipeline import Stage
    from crm.domain.visits import VisitOutcome, VisitType
    from crm.followups.models import FollowUp
    from crm.leads.models import Lead
    from crm.notifications.models import Notification
    from crm.visits.models import Visit, VisitCompany
    from tests.world_parts.reports import add_project

    unit_id, owner_id = w.units[unit].id, w.users[owner].id
    company = Company(name=f"扩容测试企业{tag}有限公司")
    session.add(company)
    session.flush()
    company.other_names.append(CompanyName(name=f"扩容{tag}", kind=OtherNameKind.ALIAS))
    session.add(Contact(company_id=company.id, name=f"联系人{tag}"))
    session.flush()
    refresh_derived(company)
    lead = Lead(name=f"扩容线索{tag}", company_id=company.id, unit_id=unit_id, owner_id=owner_id,
                source=LeadSource.BUSINESS_REFERRAL, received_on=date(2026, 10, 1))
    session.add(lead)
    session.flush()
    for days in (-3, 0, 2, 30):
        session.add(FollowUp(unit_id=unit_id, assignee_id=owner_id, lead_id=lead.id, company_id=company.id,
                             due_on=date.today() + timedelta(days=days), note=f"回访{tag}"))
    session.add(Visit(unit_id=unit_id, type=VisitType.OUTBOUND, start_on=date(2026, 11, 10), outcome=VisitOutcome.INTENT,
                      stops=[VisitCompany(company_id=company.id, contact_name="王总"),
                             VisitCompany(company_id=w.records["company"], contact_name="林总")]))
    project = add_project(session, w, f"扩容项目{tag}", unit=unit, owner=owner, company=company.id, is_key=True,
                          events=[(Stage.SIGNED, "2026-03"), (Stage.STARTED, "2026-06")], planned_start=date(2026, 1, 1),
                          leader="leader" if unit != "branch_b1" else None, funds=[("2026-06", "1000", "other_province")],
                          chain=w.records["chain"])
    session.add(TeamMember(project_id=project.id, user_id=owner_id, is_chief_servant=True, entered_on=date(2026, 1, 1)))
    _project_children(session, w, project.id, unit, owner, tag)
    session.add(Agreement(type=AgreementType.CONTRACT, signed_on=date(2026, 3, 1), party_a="人民政府", company_id=company.id,
                          investment_amount=Decimal("20000"), attracted_amount=Decimal("20000"), unit_id=unit_id,
                          created_by_id=owner_id))
    for user in w.users.values():
        session.add(Notification(user_id=user.id, kind="test", key=f"grow-{tag}", title=f"提醒{tag}", link="/todo"))
    session.flush()


def _project_children(session: Any, w: Any, project_id: int, unit: str, owner: str, tag: str, milestones: bool = True) -> None:
    from crm.domain.companies import FundingSource
    from crm.domain.issues import IssueActionKind, IssueCategory, IssueLevel, IssueSource
    from crm.domain.projects import FundPurpose, MilestoneKind, ReviewStatus
    from crm.issues.models import Issue, IssueAction
    from crm.progress.models import FundArrival, Milestone, ProgressReport

    unit_id, owner_id = w.units[unit].id, w.users[owner].id
    if milestones:  # one of each kind per project: the world's own projects have theirs
        session.add(Milestone(project_id=project_id, kind=MilestoneKind.LAND, planned_on=date(2026, 3, 1)))
        session.add(Milestone(project_id=project_id, kind=MilestoneKind.TOPPING_OUT, planned_on=date(2099, 1, 1)))
    seq = w.records["report_seq"] = w.records.get("report_seq", 0) + 1  # one report per project and month
    session.add(ProgressReport(project_id=project_id, period=f"{2000 + seq // 12}-{seq % 12 + 1:02d}", description=f"进展{tag}",
                               cumulative_investment=Decimal("100"), reported_by_id=owner_id))
    session.add(FundArrival(project_id=project_id, period="2026-07", amount=Decimal("500"), source=FundingSource.OTHER_PROVINCE,
                            purpose=FundPurpose.FIXED_ASSETS, review_status=ReviewStatus.PENDING, submitted_by_id=owner_id))
    issue = Issue(number=f"KR-{next(_ISSUE_NUMBERS)}", project_id=project_id, description=f"问题{tag}", category=IssueCategory.LAND,
                  source=IssueSource.DISPATCH_MEETING, raised_on=date(2026, 1, 5), responsible_unit_id=unit_id,
                  responsible_person="王", deadline=date(2026, 2, 1), level=IssueLevel.ZONE, unit_id=unit_id, created_by_id=owner_id)
    session.add(issue)
    session.flush()
    session.add(IssueAction(issue_id=issue.id, kind=IssueActionKind.URGE, note="催办", actor_id=owner_id))
    session.flush()


def _children_of_the_worlds_records(session: Any, w: Any, i: int) -> None:
    from crm.companies.models import Company, Contact
    from crm.followups.models import FollowUp

    staff = w.users["staff"]
    for key in ("project", "progress_project"):
        _project_children(session, w, w.records[key], "branch_a1", "staff", f"world{key}{w.records.get('grown', 0) + i}",
                          milestones=False)
    session.add(FollowUp(unit_id=staff.unit_id, assignee_id=staff.id, lead_id=w.records["lead"], company_id=w.records["company"],
                         due_on=date.today() + timedelta(days=i), note=f"再回访{i}"))
    session.add(Contact(company_id=w.records["company"], name=f"新联系人{i}"))
    company = session.get(Company, w.records["company"])
    company.website = f"https://example.com/grow/{w.records.get('grown', 0) + i}"  # an audit row more
    session.flush()
