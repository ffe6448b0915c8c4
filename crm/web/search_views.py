"""One search box for everything the user may see: companies, leads (and, as they arrive, projects)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, render_template, request
from flask_login import login_required
from sqlalchemy.orm import joinedload

from crm.companies.models import Company
from crm.extensions import db
from crm.leads.models import Lead
from crm.web.search import company_text_contains, named_or_of_company

bp = Blueprint("search", __name__)

LIMIT = 20


@bp.route("/search")
@login_required
def search():
    q = request.args.get("q", "").strip()[:60]
    companies: list[Company] = []
    leads: list[Lead] = []
    if q:
        companies = list(
            db.session.scalars(
                sa.select(Company)
                .where(Company.merged_into_id.is_(None), sa.or_(company_text_contains(q), Company.credit_code == q.upper()))
                .order_by(Company.name)
                .limit(LIMIT)
            )
        )
        # Leads run under the session's scope: another unit's leads are never found.
        leads = list(
            db.session.scalars(
                sa.select(Lead)
                .join(Company, Company.id == Lead.company_id)
                .where(named_or_of_company(Lead.id, Lead.name, Lead.company_id, q))
                .options(joinedload(Lead.company), joinedload(Lead.unit))
                .order_by(Lead.received_on.desc())
                .limit(LIMIT)
            )
        )
    return render_template("web/search.html", q=q, companies=companies, leads=leads)
