"""The company page's 跟进单位, the lead's timeline and what follows a project's stage are answered by other
features over signals (crm/companies/signals.py, crm/leads/signals.py, crm/projects/signals.py): each must be
connected by the app alone."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal

from crm import PROJECT_ROOT
from crm.agreements.models import Agreement
from crm.companies.models import Company
from crm.companies.queries import following_units
from crm.domain.agreements import AgreementType
from crm.domain.leads import LeadSource
from crm.domain.pipeline import Stage
from crm.domain.visits import VisitOutcome, VisitType
from crm.leads.models import Lead
from crm.leads.queries import timeline
from crm.projects.models import Project
from crm.visits.models import Visit, VisitCompany

# What a freshly created app must have connected, by the module that answers.
RECEIVERS = {
    "company_followers": {"crm.agreements.queries", "crm.leads.queries", "crm.projects.queries", "crm.visits.queries"},
    "lead_timeline": {"crm.followups.queries", "crm.visits.queries"},
    "stage_applied": {"crm.progress.services"},
}

FRESH_APP = """
import json, sys
from crm import create_app
create_app({"DATABASE_URL": "sqlite:///" + sys.argv[1], "SECRET_KEY": "fresh"})
from crm.companies.signals import company_followers
from crm.leads.signals import lead_timeline
from crm.projects.signals import stage_applied
signals = {"company_followers": company_followers, "lead_timeline": lead_timeline, "stage_applied": stage_applied}
print(json.dumps({name: sorted({r.__module__ for r in s.receivers_for(None)}) for name, s in signals.items()}))
"""


def test_a_fresh_app_connects_every_feature(tmp_path):
    env = {**os.environ, "CRM_INSTANCE_PATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-c", FRESH_APP, str(tmp_path / "fresh.db")], cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert {name: set(modules) for name, modules in json.loads(done.stdout).items()} == RECEIVERS


def test_every_feature_names_its_units_among_a_companys_followers(app_session, world):
    """One unit per feature, so that a feature that stops answering loses its unit."""
    u, people = world.units, world.users
    company = Company(name="四方跟进测试有限公司")
    app_session.add(company)
    app_session.flush()
    app_session.add_all([
        Lead(name="四方线索", company_id=company.id, unit_id=u["branch_a1"].id, owner_id=people["staff"].id,
             source=LeadSource.BUSINESS_REFERRAL, received_on=date(2026, 3, 1)),
        Agreement(type=AgreementType.CONTRACT, signed_on=date(2026, 2, 1), party_a="甲县人民政府", company_id=company.id,
                  investment_amount=Decimal("100"), attracted_amount=Decimal("100"), unit_id=u["branch_a2"].id,
                  created_by_id=people["staff_a2"].id, name="四方协议"),
        Visit(unit_id=u["branch_b1"].id, type=VisitType.OUTBOUND, start_on=date(2026, 1, 1), outcome=VisitOutcome.INTENT,
              stops=[VisitCompany(company_id=company.id)]),
        Project(unit_id=u["squad_a1"].id, owner_id=people["staff_squad"].id, name="四方项目",
                company_id=world.records["other_company"], local_company_id=company.id,
                stage=Stage.TALKS, tracked_since=date(2025, 12, 1)),
    ])
    app_session.flush()
    assert following_units(company.id) == [
        ("甲县珠三角小分队", date(2025, 12, 1)),  # project (as local company)
        ("乙县第一招商分局", date(2026, 1, 1)),  # visit
        ("甲县第二招商分局", date(2026, 2, 1)),  # agreement
        ("甲县第一招商分局", date(2026, 3, 1)),  # lead
    ]


def test_follow_ups_and_visits_appear_on_the_lead_timeline(app, app_session, world):
    lead = app_session.get(Lead, world.records["lead"])  # the world gives it a follow-up task
    app_session.add(Visit(unit_id=lead.unit_id, type=VisitType.OUTBOUND, start_on=date(2026, 11, 19), outcome=VisitOutcome.INTENT,
                          stops=[VisitCompany(company_id=lead.company_id)], leads=[lead]))
    app_session.flush()
    with app.test_request_context():  # a visit's entry links to its page
        kinds = {entry.kind for entry in timeline(lead)}
    assert kinds >= {"follow_up", "visit"}
