"""The 项目台账 kind: a row is the unit's project of that name (and investor), new or updated, with its stage
history as approved, imported stage events (``crm.domain.imports.history``)."""

from __future__ import annotations

from datetime import date
from enum import Enum
from typing import Any, Sequence

import sqlalchemy as sa

from crm.companies.models import Company
from crm.domain.imports.history import MONTH_OF_STAGE, Step, earliest_month, steps
from crm.domain.imports.plan import Action, Change, CompanyLink, RowPlan
from crm.domain.imports.records import ProjectRecord
from crm.domain.pipeline import Nature, Stage
from crm.extensions import db
from crm.imports import messages
from crm.imports.companies import Written, company_for, company_named, decision_row, plan_link, same_record
from crm.imports.context import Context, changes, shown
from crm.projects.models import Project, StageEvent
from crm.projects.services import (Companies, ProjectData, build_project, imported_stage_event, open_event, pipeline_settings,
                                   record_imported_stage, unit_members, update_project)

# Sheet fields the project form saves (through ``ProjectData``), as the project's attributes.
FORM_ATTRS = ("construction", "nature", "total_investment", "first_phase_investment", "contracted_amount", "out_of_province_amount",
              "foreign_capital", "funding_source", "industry_category", "sector", "site", "land_mu", "planned_start_on",
              "planned_production_on")
# The stage reports' facts and 重点项目, which no form of the project itself saves: set on the project as they are.
FACT_ATTRS = ("is_key", "registered_name", "registration_number", "registered_capital", "legal_representative", "capacity",
              "monthly_sales", "monthly_tax", "employees")
IMPORTED_STAGES = (Stage.TALKS, Stage.SIGNED, Stage.REGISTERED, Stage.STARTED, Stage.PRODUCING)
MONTHS = tuple(MONTH_OF_STAGE.values())


def _existing(ctx: Context, name: str, link: CompanyLink) -> Project | None:
    """The unit's project of this name: the one with this investor; the only one when the investor is not known."""
    assert ctx.unit is not None
    return same_record(ctx.unit_projects(name), link)


def _wanted(ctx: Context, row: int, record: ProjectRecord, project: Project | None, errors: list[str]) -> dict[str, Any]:
    wanted = {name: getattr(record, name) for name in FORM_ATTRS + FACT_ATTRS if getattr(record, name) is not None}
    chain = ctx.chain_id(row, record.chain, errors)
    if chain is not None:
        wanted["chain_id"] = chain
    lead_unit = ctx.unit_id(row, "lead_unit", record.lead_unit, errors)
    if lead_unit is not None:
        wanted["lead_unit_id"] = lead_unit
    if record.local_investor:
        local = company_named(ctx, record.local_investor)
        if local is None:
            errors.append(ctx.error(row, "local_investor", messages.NOT_FOUND_COMPANY % {"name": record.local_investor}))
        else:
            wanted["local_company_id"] = local[0]
    owner = ctx.owner_id(row, "owner", record.owner, project.owner_id if project else None, errors)
    if project is None or owner != project.owner_id:
        wanted["owner_id"] = owner
    return wanted


LABELS = {"chain_id": "chain", "lead_unit_id": "lead_unit", "local_company_id": "local_investor", "owner_id": "owner"}


def plan_project(ctx: Context, row: int, record: ProjectRecord) -> RowPlan:
    errors: list[str] = []
    ctx.unit_of_row(row, record.unit, errors)
    months = {name: getattr(record, name) for name in MONTHS}
    ctx.future_months(row, months, errors)
    if record.stage is not None and record.stage not in IMPORTED_STAGES:
        errors.append(ctx.error(row, "stage", messages.STAGE_NOT_IMPORTED % {"stage": shown(record.stage)}))
    link = plan_link(ctx, row, record.investor, record.credit_code)
    project = _existing(ctx, record.name, link)
    wanted = _wanted(ctx, row, record, project, errors)
    if errors:
        return RowPlan(row, Action.ERROR, record.name, errors=tuple(errors), company=link)
    if link.candidates and project is None:
        return decision_row(row, record.name, link)
    if project is not None:
        link = CompanyLink(link.name, project.company_id, project.company.name)
    current = project.stage if project is not None else Stage.TALKS
    nature = record.nature or (project.nature if project is not None else Nature.NEW)
    history = steps(current, record.stage or current, nature, months, ctx.import_month, pipeline_settings())
    labels = {name: ctx.label(field) for name, field in LABELS.items()}
    found = changes(ctx, project, wanted, labels)
    if history:
        if project is not None and open_event(project) is not None:
            return RowPlan(row, Action.ERROR, record.name, errors=(ctx.error(row, "stage", messages.OPEN_REPORT),), company=link)
        found.append(Change("stage", ctx.label("stage"), shown(current) if project else "", shown(history[-1].to_stage)))
    values = {"wanted": wanted, "steps": history, "tracked_from": earliest_month(months)}
    if project is None:
        return RowPlan(row, Action.NEW, record.name, changes=tuple(found), company=link, values=values)
    action = Action.UPDATE if found else Action.UNCHANGED
    return RowPlan(row, action, record.name, changes=tuple(found), company=link, record_id=project.id, values=values)


def _code(value: Any) -> Any:
    return value.value if isinstance(value, Enum) else value


def _data(project: Project | None, wanted: dict[str, Any], company: Company, tracked_since: date) -> ProjectData:
    """What the project form would post: the project's values (a new one's blanks) with the sheet's on top."""
    def value(name: str) -> Any:
        return _code(wanted[name]) if name in wanted else _code(getattr(project, name) if project is not None else None)

    local_id = wanted.get("local_company_id", project.local_company_id if project is not None else None)
    local = db.session.get(Company, local_id) if local_id else None
    return ProjectData(
        name=project.name if project is not None else "", company_name=company.name, create_company=False,
        local_company_name=local.name if local else None, construction=value("construction"), nature=value("nature") or Nature.NEW.value,
        total_investment=value("total_investment"), first_phase_investment=value("first_phase_investment"),
        contracted_amount=value("contracted_amount"), out_of_province_amount=value("out_of_province_amount"),
        foreign_capital=value("foreign_capital"), funding_source=value("funding_source"), industry_category=value("industry_category"),
        sector=value("sector"), chain_id=value("chain_id"), site=value("site"), land_mu=value("land_mu"),
        planned_start_on=value("planned_start_on"), planned_production_on=value("planned_production_on"),
        tracked_since=project.tracked_since if project is not None else tracked_since,
        owner_id=wanted.get("owner_id", project.owner_id if project is not None else None),
    )


def _new_data(ctx: Context, plan: RowPlan, record: ProjectRecord, written: Written) -> tuple[ProjectData, Companies]:
    """What the form would post for a new row's project, and its companies (a new investor is created here)."""
    assert plan.company is not None
    first = plan.values["tracked_from"]
    tracked = min(date(int(first[:4]), int(first[5:7]), 1), ctx.today) if first else ctx.today
    company = company_for(ctx, plan.row, plan.company, record.credit_code, written)
    data = _data(None, plan.values["wanted"], company, tracked)
    data.name = record.name
    local_id = plan.values["wanted"].get("local_company_id")
    return data, (company, db.session.get(Company, local_id) if local_id else None)


def _set_facts(project: Project, wanted: dict[str, Any]) -> None:
    for name in FACT_ATTRS + ("lead_unit_id",):
        if name in wanted:
            setattr(project, name, wanted[name])


def write_new_projects(ctx: Context, rows: Sequence[tuple[RowPlan, ProjectRecord]]) -> dict[int, Written]:
    """Rows that create their project, written together: each project and its stage history are built by the
    projects service's own rules (``build_project``, ``imported_stage_event``) and all are flushed at once, instead
    of four flushes and some fifteen statements a row (docs/PERFORMANCE.md, "Import"). A row the service refuses
    raises its ``FieldError``; the caller then writes these rows one by one, each in its savepoint."""
    assert ctx.unit is not None and ctx.import_id is not None
    members = {user.id for user in unit_members(ctx.unit.id)}
    ids = {i for plan, _record in rows for i in (plan.company.company_id if plan.company else None, plan.values["wanted"].get("local_company_id")) if i}
    # Loaded into the identity map (and held: it keeps only what is referenced), so that ``get`` asks no more.
    in_hand = list(db.session.scalars(sa.select(Company).where(Company.id.in_(ids))))
    built: list[tuple[int, Written, Project, list[StageEvent]]] = []
    with db.session.no_autoflush:  # the rows' queries find nothing of each other's (a new project has no reports)
        for plan, record in rows:
            written: Written = []
            data, companies = _new_data(ctx, plan, record, written)
            project = build_project(ctx.actor, data, companies, members)
            _set_facts(project, plan.values["wanted"])
            events = [imported_stage_event(ctx.actor, project, step.to_stage, step.period, ctx.import_id) for step in plan.values["steps"]]
            built.append((plan.row, written, project, events))
    db.session.flush()
    del in_hand
    return {row: written + [("projects", project.id, "create")] + [("project_stage_events", e.id, "create") for e in events]
            for row, written, project, events in built}


def write_project(ctx: Context, plan: RowPlan, record: ProjectRecord) -> Written:
    written: Written = []
    wanted: dict[str, Any] = plan.values["wanted"]
    history: list[Step] = plan.values["steps"]
    assert plan.company is not None
    if plan.action is Action.NEW:
        data, companies = _new_data(ctx, plan, record, written)
        project = build_project(ctx.actor, data, companies)
        db.session.flush()
        written.append(("projects", project.id, "create"))
    else:
        project = db.session.get(Project, plan.record_id)
        assert project is not None
        update_project(ctx.actor, project, _data(project, wanted, project.company, project.tracked_since))
        written.append(("projects", project.id, "update"))
    _set_facts(project, wanted)
    db.session.flush()
    assert ctx.import_id is not None
    for step in history:
        event = record_imported_stage(ctx.actor, project, step.to_stage, step.period, ctx.import_id)
        written.append(("project_stage_events", event.id, "create"))
    return written
