"""Projects. Services validate and flush; the view commits once."""

from __future__ import annotations

from flask_babel import gettext as _

from crm.domain.access import Actor
from crm.domain.leads import LeadStatus
from crm.domain.pipeline import Facts, Move, Stage, check
from crm.errors import FieldError
from crm.extensions import db
from crm.leads.models import Lead
from crm.projects.models import Project


class ProjectError(FieldError):
    pass


def convert_lead(actor: Actor, lead: Lead) -> Project:
    """线索 → 在谈: a project that keeps the link to the lead (and through it the lead's history).

    The gate of DOMAIN's table applies: the lead was judged worth following (跟进中) and
    has a following unit.
    """
    if lead.status is LeadStatus.CONVERTED:
        raise ProjectError("stage", _("该线索已转为项目"))
    facts = Facts(assessment_follow=lead.status is LeadStatus.FOLLOWING, following_unit=lead.unit_id is not None)
    if problems := check(Move(Stage.LEAD, Stage.TALKS, facts=facts)):
        reason = _("研判结论须为“跟进”：请先把线索状态改为“跟进中”") if problems[0].field == "assessment" else problems[0].message
        raise ProjectError("stage", reason)
    project = Project(
        unit_id=lead.unit_id,
        owner_id=lead.owner_id,
        name=lead.name,
        construction=lead.construction,
        company_id=lead.company_id,
        lead_id=lead.id,
        stage=Stage.TALKS,
        total_investment=lead.amount_high,
        chain_id=lead.chain_id,
        land_mu=lead.land_mu,
    )
    db.session.add(project)
    lead.status = LeadStatus.CONVERTED
    db.session.flush()
    return project
