"""The 问题台账 kind: a row is the unit's issue with that 编号 (else the same description for the same 责任单位),
raised or edited through the issues service; 办理中 is 交办 through it too, and 办理情况 becomes a 办理记录.

Defaults: 协调层级 集聚区管委会 (where the 四级保障 begins), 提出日期 the import day (or the deadline, when that
is earlier). 问题类别 and 问题来源 have no neutral value: a row without them is an error unless the import was
given them up front. Issues already 已办结 or 已销号 are not imported (the review that closes one is a person's).
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from crm.domain.imports.plan import Action, RowPlan
from crm.domain.imports.problems import Code, Problem
from crm.domain.imports.records import IssueRecord
from crm.domain.issues import IssueActionKind, IssueLevel, IssueStatus
from crm.extensions import db
from crm.imports import messages
from crm.imports.companies import Written
from crm.imports.context import Context, changes, shown
from crm.imports.queries import has_note, unit_issue
from crm.issues.models import Issue
from crm.issues.services import IssueData, add_action, assign_issue, create_issue, update_issue

DEFAULT_LEVEL = IssueLevel.ZONE
ATTRS = ("description", "category", "source", "raised_on", "responsible_person", "deadline", "long_term")
LABELS = {"responsible_unit_id": "responsible_unit", "project_id": "project"}


def plan_issue(ctx: Context, row: int, record: IssueRecord) -> RowPlan:
    assert ctx.unit is not None
    errors: list[str] = []
    ctx.unit_of_row(row, record.unit, errors)
    responsible = ctx.unit_id(row, "responsible_unit", record.responsible_unit, errors)
    wanted: dict[str, Any] = {name: getattr(record, name) for name in ATTRS if getattr(record, name) is not None}
    if responsible is not None:
        wanted["responsible_unit_id"] = responsible
    if record.project:
        projects = ctx.unit_projects(record.project)
        if not projects:
            errors.append(ctx.error(row, "project", messages.NOT_FOUND_PROJECT % {"name": record.project}))
        else:
            wanted["project_id"] = projects[0].id
    if record.status in (IssueStatus.RESOLVED, IssueStatus.CLOSED):
        errors.append(ctx.error(row, "status", messages.ISSUE_DONE % {"status": shown(record.status)}))
    issue = unit_issue(ctx.unit.id, record.number, record.description, responsible)
    if issue is None:
        wanted.setdefault("raised_on", min(ctx.today, record.deadline))
        for name in ("category", "source"):
            if name not in wanted and ctx.defaults.get(name) is not None:
                wanted[name] = ctx.defaults[name]
            if name not in wanted:
                errors.append(ctx.error(row, name, messages.reason(Problem(Code.REQUIRED))))
    elif issue.status is IssueStatus.CLOSED:
        errors.append(ctx.error(row, "description", messages.ISSUE_DONE % {"status": shown(issue.status)}))
    if errors:
        return RowPlan(row, Action.ERROR, record.description[:40], errors=tuple(errors))
    level = record.level or ctx.defaults.get("level") or DEFAULT_LEVEL
    found = changes(ctx, issue, wanted, {name: ctx.label(field) for name, field in LABELS.items()})
    assign = record.status is IssueStatus.IN_PROGRESS and (issue is None or issue.status is IssueStatus.NEW)
    if issue is None:
        found += changes(ctx, None, {"level": level})
    if assign:
        found += changes(ctx, issue, {"status": IssueStatus.IN_PROGRESS})
    note = record.progress if record.progress and not (issue is not None and has_note(issue.id, record.progress)) else None
    if note:
        found += changes(ctx, None, {"progress": note})
    values = {"wanted": wanted, "level": level, "assign": assign, "note": note}
    if issue is None:
        return RowPlan(row, Action.NEW, record.description[:40], changes=tuple(found), values=values)
    return RowPlan(row, Action.UPDATE if found else Action.UNCHANGED, record.description[:40], changes=tuple(found),
                   record_id=issue.id, values=values)


def _data(issue: Issue | None, wanted: dict[str, Any], level: IssueLevel) -> IssueData:
    def value(name: str) -> Any:
        found = wanted[name] if name in wanted else (getattr(issue, name) if issue is not None else None)
        return found.value if isinstance(found, Enum) else found

    return IssueData(
        project_id=value("project_id"), description=value("description"), category=value("category"), source=value("source"),
        raised_on=value("raised_on"), responsible_unit_id=value("responsible_unit_id"), responsible_person=value("responsible_person"),
        deadline=value("deadline"), long_term=bool(value("long_term")), level=level.value,
    )


def write_issue(ctx: Context, plan: RowPlan, record: IssueRecord) -> Written:
    written: Written = []
    wanted: dict[str, Any] = plan.values["wanted"]
    if plan.action is Action.NEW:
        issue = create_issue(ctx.actor, _data(None, wanted, plan.values["level"]), ctx.today)
        written.append(("issues", issue.id, "create"))
    else:
        issue = db.session.get(Issue, plan.record_id)
        assert issue is not None
        update_issue(ctx.actor, issue, _data(issue, wanted, issue.level), ctx.today)
        written.append(("issues", issue.id, "update"))
    if plan.values["assign"]:
        assign_issue(ctx.actor, issue, None)
    if plan.values["note"]:
        action = add_action(ctx.actor, issue, IssueActionKind.NOTE.value, plan.values["note"])
        written.append(("issue_actions", action.id, "create"))
    return written
