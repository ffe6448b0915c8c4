"""Plan, commit and revert an import (issue 13). Services flush; the caller (the CLI, the upload page) commits.

- ``plan_import`` says per row what would happen (new / update with the changed fields / unchanged / linked /
  needs a decision / error / skipped), with totals, and writes nothing.
- ``commit_import`` plans again (the library may have changed since the preview), writes the rows marked new or
  update through the features' services, each in a savepoint (a row its service refuses leaves nothing behind,
  not even its new company), and records the ``Import``. A long sheet is written in parts instead, each committed
  on its own: ``start_import`` records the import, each ``commit_part`` plans and writes its next rows.
- ``revert_import`` undoes an import within 30 days: deletes what it created and restores what it updated from
  the audit log, unless a record was changed since.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any, Callable, Mapping, Sequence

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy import inspect
from sqlalchemy.exc import IntegrityError

from crm.clock import local_today
from crm.audit.models import AuditLog
from crm.companies.models import Company, CompanyName, CompanyNameKey, Contact
from crm.followups.models import FollowUp
from crm.issues.models import Issue
from crm.leads.models import Lead
from crm.progress.models import FundArrival
from crm.projects.models import Project, StageEvent
from crm.visits.models import Visit, VisitCompany
from crm.companies.services import refresh_derived
from crm.db import refresh_statistics, utcnow
from crm.domain.access import Action as Permission
from crm.access.policy import IMPORTS_FOR_UNITS, delegated_actor, may_import_for
from crm.domain.access import Actor, Resource, Role, Target, can
from crm.leads.services import unit_members
from crm.domain.imports.fields import Kind
from crm.domain.imports.plan import WRITTEN, Action, Plan, RowPlan
from crm.domain.imports.rows import RowResult, SheetResult
from crm.errors import FieldError
from crm.extensions import db
from crm.imports import messages
from crm.imports.companies import Written, plan_company, prefetch_names, write_company
from crm.imports.context import Context
from crm.imports.models import Import, ImportItem, ImportMapping
from crm.imports.funds import plan_fund, write_fund
from crm.imports.issues import plan_issue, write_issue
from crm.imports.leads import plan_lead, write_lead
from crm.imports.projects import plan_project, write_new_projects, write_project
from crm.imports.visits import plan_visit, write_visit
from crm.imports.queries import audit_rows, import_by_id, last_audit_id, remembered, reverted_windows
from crm.imports.restore import model_of, value_from_text
from crm.units.models import Unit

REVERT_DAYS = 30

Planner = Callable[[Context, int, Any], RowPlan]
Writer = Callable[[Context, RowPlan, Any], Written]
PLANNERS: dict[Kind, Planner] = {
    Kind.COMPANIES: plan_company, Kind.PROJECTS: plan_project, Kind.LEADS: plan_lead, Kind.FUNDS: plan_fund, Kind.ISSUES: plan_issue,
    Kind.VISITS: plan_visit,
}
WRITERS: dict[Kind, Writer] = {
    Kind.COMPANIES: write_company, Kind.PROJECTS: write_project, Kind.LEADS: write_lead, Kind.FUNDS: write_fund, Kind.ISSUES: write_issue,
    Kind.VISITS: write_visit,
}
# Kinds whose new rows are written many at a time (``_parts``): a 项目台账 is the long sheet a county brings.
BULK_WRITERS: dict[Kind, Callable[[Context, Sequence[tuple[RowPlan, Any]]], dict[int, Written]]] = {Kind.PROJECTS: write_new_projects}
BULK_ROWS = 500
# The tables an import grows: their planner statistics are refreshed as they grow (``refresh_statistics``), after
# ``FIRST_ANALYZE`` rows written and each time the count doubles.
GROWING_TABLES = tuple(model.__tablename__ for model in (
    Company, CompanyName, CompanyNameKey, Contact, Lead, FollowUp, Visit, VisitCompany, Project, StageEvent,
    FundArrival, Issue, AuditLog, ImportItem))
FIRST_ANALYZE = 1000
# What goes with a record the import created and nothing else lists: an issue's 交办 entries.
DEPENDENTS: dict[str, Callable[[Any], list[Any]]] = {"issues": lambda issue: list(issue.actions)}
BUILT = tuple(PLANNERS)  # the kinds this layer imports so far (docs/IMPORT.md)


class ImportRefused(Exception):
    """The import cannot run at all (a kind not built yet, a unit the user may not write to); ``message`` in Chinese."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def refusal(actor: Actor, kind: Kind, unit: Unit | None) -> Any:
    """Why the actor may not import this kind into ``unit`` (a Chinese message), or None. Companies are everyone's
    master data; every other kind goes to a unit the actor may create records in."""
    if kind not in BUILT:
        return _l("暂不支持导入“%(kind)s”", kind=kind.value)
    if kind is Kind.COMPANIES:
        return None if can(actor, Permission.CREATE, Target(Resource.MASTER_DATA)) else _l("您没有新建企业的权限")
    if unit is None:
        return _l("请选择导入到哪个单位")
    # The services write a unit's records as its own people do (DESIGN §1): the actor's own unit, or for a county
    # role a unit of its subtree, written as that unit's chief would (``delegated_actor``).
    if may_import_for(actor, unit.id):
        return None if default_owner(actor, unit) is not None else _l("“%(unit)s”没有在职人员，无法导入", unit=unit.name)
    if unit.id != actor.unit_id or not can(actor, Permission.CREATE, Target(Resource.UNIT_RECORD, unit_id=unit.id)):
        return _l("您不能向“%(unit)s”导入记录", unit=unit.name)
    return None


def default_owner(actor: Actor, unit: Unit) -> int | None:
    """Who follows a record whose row names nobody: the importer in their own unit; in a unit a county role imports
    into, its chief (else its first active member)."""
    if unit.id == actor.unit_id:
        return actor.user_id
    members = unit_members(unit.id)
    return next((u.id for u in members if u.role is Role.CHIEF), members[0].id if members else None)


def check_allowed(actor: Actor, kind: Kind, unit: Unit | None) -> None:
    if (message := refusal(actor, kind, unit)) is not None:
        raise ImportRefused(message)


def allowed_kinds(actor: Actor, unit: Unit | None) -> list[Kind]:
    """The kinds the actor may import into ``unit``: what the upload page offers."""
    return [kind for kind in BUILT if refusal(actor, kind, unit) is None]


def importing_units(actor: Actor) -> bool:
    """Whether the actor chooses the unit an import goes to (a county role), instead of importing into their own."""
    return actor.role in IMPORTS_FOR_UNITS


def _context(actor: Actor, kind: Kind, sheet: SheetResult, unit: Unit | None, decisions: Mapping[int, int] | None,
             defaults: Mapping[str, Any] | None) -> Context:
    target = None if kind is Kind.COMPANIES else unit
    writer, owner = actor, actor.user_id
    if target is not None and may_import_for(actor, target.id):
        writer, owner = delegated_actor(actor, target), default_owner(actor, target) or actor.user_id
    return Context(writer, kind, target, sheet.layout, dict(decisions or {}), local_today(), defaults=dict(defaults or {}),
                   default_owner=owner)


def _plan(ctx: Context, sheet: SheetResult, trial: bool = False) -> Plan:
    unit_id = ctx.unit.id if ctx.unit is not None else None
    if sheet.problems:
        return Plan(ctx.kind.value, unit_id, (), tuple(messages.reason(p) for p in sheet.problems))
    prefetch_names(ctx, sheet.records())
    return Plan(ctx.kind.value, unit_id, tuple(_plan_rows(ctx, sheet.rows, trial)))


def _plan_rows(ctx: Context, rows: Sequence[RowResult], trial: bool) -> list[RowPlan]:
    if not trial:
        return [_plan_row(ctx, result) for result in rows]
    # The writes are tried under a stand-in Import (the stage events name theirs), all rolled back at the end.
    outer = db.session.begin_nested()
    try:
        stand_in = Import(kind=ctx.kind.value, file_name="", sha256="", user_id=ctx.actor.user_id,
                          unit_id=ctx.unit.id if ctx.unit else None, audit_from=0)
        db.session.add(stand_in)
        db.session.flush()
        ctx.import_id = stand_in.id
        return [_plan_row(ctx, result, trial=True) for result in rows]
    finally:
        ctx.import_id = None
        outer.rollback()


def _plan_row(ctx: Context, result: RowResult, trial: bool = False) -> RowPlan:
    if result.skipped is not None:
        return RowPlan(result.row, Action.SKIPPED, reason=messages.reason(result.skipped))
    if result.errors:
        return RowPlan(result.row, Action.ERROR, errors=tuple(messages.describe(e) for e in result.errors))
    planned = PLANNERS[ctx.kind](ctx, result.row, result.record)
    return _tried(ctx, planned, result.record) if trial else planned


def _tried(ctx: Context, planned: RowPlan, record: Any) -> RowPlan:
    """A row to be written, written through the services in a savepoint that is rolled back: a row a service would
    refuse (省外资金 above 合同引资额, 一期投资 above 总投资 …) shows in the preview as the error it will be,
    instead of surprising the user after they confirmed."""
    if planned.action not in WRITTEN:
        return planned
    savepoint = db.session.begin_nested()
    try:
        WRITERS[ctx.kind](ctx, planned, record)
    except FieldError as error:
        return replace(planned, action=Action.ERROR, errors=(messages.on_row(planned.row, error.message),), changes=())
    finally:
        savepoint.rollback()
    return planned


def plan_import(actor: Actor, kind: Kind, sheet: SheetResult, unit: Unit | None, decisions: Mapping[int, int] | None = None,
                defaults: Mapping[str, Any] | None = None, trial: bool = False) -> Plan:
    """What committing would do, row by row; leaves nothing behind. ``decisions[row]``: the company id an ambiguous
    investor is, or ``NEW_COMPANY`` (``crm.imports.context``) for a company not in the library. ``defaults``:
    values chosen up front for fields the sheet lacks (docs/IMPORT.md). ``trial``: also try each row's writes
    (``_tried``), so that the rows the services would refuse are errors already (the preview and the dry run)."""
    check_allowed(actor, kind, unit)
    return _plan(_context(actor, kind, sheet, unit, decisions, defaults), sheet, trial)


@dataclass
class PlanState:
    """A preview planned part by part (the upload page shows its progress): the rows so far, and what planning
    carries from row to row (the new companies earlier rows create)."""

    rows: list[RowPlan]
    planned_companies: dict[str, int]

    @property
    def done(self) -> int:
        return len(self.rows)


def plan_part(actor: Actor, kind: Kind, sheet: SheetResult, unit: Unit | None, state: PlanState, count: int,
              defaults: Mapping[str, Any] | None = None, trial: bool = True) -> PlanState:
    """The next ``count`` rows of ``plan_import``'s plan (a trial one unless ``trial`` is False) after those in
    ``state``: planned one part after the other, the parts give the same rows as one ``plan_import`` (the sheet's
    own problems are the caller's)."""
    check_allowed(actor, kind, unit)
    ctx = _context(actor, kind, sheet, unit, None, defaults)
    ctx.planned_companies = dict(state.planned_companies)
    rows = sheet.rows[state.done:state.done + count]
    prefetch_names(ctx, [r.record for r in rows if r.record is not None])
    part = _plan_rows(ctx, rows, trial=trial)
    return PlanState(state.rows + part, ctx.planned_companies)


def plan_of(kind: Kind, unit: Unit | None, state: PlanState) -> Plan:
    return Plan(kind.value, unit.id if unit is not None and kind is not Kind.COMPANIES else None, tuple(state.rows))


def remember_mapping(unit_id: int, kind: Kind, mapping: Mapping[str, str | None]) -> None:
    """Keep the columns of this import (header → field) for the unit's next upload of this kind."""
    record = remembered(unit_id, kind)
    if record is None:
        db.session.add(ImportMapping(unit_id=unit_id, kind=kind.value, mapping=dict(mapping)))
    else:
        record.mapping = dict(mapping)
    db.session.flush()


@dataclass(frozen=True)
class Outcome:
    import_id: int
    plan: Plan
    created: int  # rows that created their record
    updated: int
    skipped: int  # rows not written: errors, decisions, 合计 …, and rows a service refused
    refused: tuple[str, ...]  # the rows a service refused while writing, in Chinese


def _parts(kind: Kind, rows: list[RowPlan]) -> list[list[RowPlan]]:
    """The rows to write, in their order, as parts written together: runs of up to ``BULK_ROWS`` new rows where
    the kind has a bulk writer, and every other row alone."""
    parts: list[list[RowPlan]] = []
    for row in rows:
        together = kind in BULK_WRITERS and row.action is Action.NEW
        if together and parts and len(parts[-1]) < BULK_ROWS and parts[-1][0].action is Action.NEW:
            parts[-1].append(row)
        else:
            parts.append([row])
    return parts


def _write_part(ctx: Context, part: list[RowPlan], records: Mapping[int, Any], refused: list[str]) -> list[tuple[RowPlan, Written]]:
    """Write a part: together through the kind's bulk writer in one savepoint; when a row of it is refused (rare:
    the preview tried every row), the savepoint goes and the part is written again row by row, each in its own,
    so that only the refused row is left out and nothing of it is written."""
    if len(part) > 1:
        try:
            with db.session.begin_nested():
                written = BULK_WRITERS[ctx.kind](ctx, [(row, records[row.row]) for row in part])
            return [(row, written[row.row]) for row in part]
        except FieldError:
            pass
    done: list[tuple[RowPlan, Written]] = []
    for row in part:
        try:
            with db.session.begin_nested():
                done.append((row, WRITERS[ctx.kind](ctx, row, records[row.row])))
        except FieldError as error:
            refused.append(messages.on_row(row.row, error.message))
    return done


def start_import(actor: Actor, kind: Kind, sheet: SheetResult, unit: Unit | None, *, file_name: str, sha256: str,
                 sheet_name: str | None = None, upload_token: str | None = None) -> Import:
    """The import's record, before any of its rows is written (``commit_part`` writes them)."""
    check_allowed(actor, kind, unit)
    target = None if kind is Kind.COMPANIES else unit
    record = Import(kind=kind.value, file_name=file_name[:255], sha256=sha256, sheet=(sheet_name or "")[:100] or None,
                    user_id=actor.user_id, unit_id=target.id if target is not None else None, rows=len(sheet.rows),
                    audit_from=last_audit_id(), audit_to=last_audit_id(), upload_token=upload_token)
    db.session.add(record)
    db.session.flush()
    return record


class PartTaken(Exception):
    """Another request is writing this part (two tabs on one import), or the import is finished or reverted."""


def _claim(record: Import, count: int) -> tuple[int, int]:
    """Rows ``start..end`` of the sheet are this request's to write: one UPDATE moves ``rows_done`` past them only
    if nobody moved it meanwhile (on PostgreSQL a second request waits for the first one's commit, then finds
    nothing to update), so two requests never write the same rows."""
    start = record.rows_done
    end = min(start + count, record.rows)
    claimed = db.session.execute(sa.update(Import).where(Import.id == record.id, Import.rows_done == start,
                                                         Import.finished_at.is_(None), Import.reverted_at.is_(None))
                                 .values(rows_done=end).execution_options(synchronize_session=False))
    if claimed.rowcount != 1:
        raise PartTaken()
    db.session.refresh(record)
    return start, end


def commit_part(actor: Actor, kind: Kind, sheet: SheetResult, unit: Unit | None, decisions: Mapping[int, int] | None,
                record: Import, count: int, defaults: Mapping[str, Any] | None = None) -> Outcome:
    """Plan and write the next ``count`` rows of the import's sheet after those already written. The caller commits
    each part: a long sheet is written part after part, by one request each, and a part planned after earlier
    ones were committed finds their records (a new investor of part 1 is linked in part 2, a project updated)."""
    check_allowed(actor, kind, unit)
    ctx = _context(actor, kind, sheet, unit, decisions, defaults)
    ctx.import_id = record.id
    start, end = _claim(record, count)
    part_from = last_audit_id()
    plan = _plan(ctx, replace(sheet, rows=sheet.rows[start:end]))
    records = {r.row: r.record for r in sheet.rows[start:end]}
    refused: list[str] = []
    created = updated = 0
    before = record.created + record.updated  # written by the earlier parts
    analyze_at = FIRST_ANALYZE
    while analyze_at <= before:
        analyze_at *= 2
    written_items: list[ImportItem] = []
    for part in _parts(kind, [row for row in plan.rows if row.action in WRITTEN]):
        if before + created + updated >= analyze_at:
            refresh_statistics(db.session, GROWING_TABLES)
            analyze_at *= 2
        for row, written in _write_part(ctx, part, records, refused):
            # By the import's id, not appended to ``record.items``: every flush compares a loaded collection whole,
            # so 20,000 rows appended one by one cost O(rows²) (docs/PERFORMANCE.md, "Import").
            items = [ImportItem(import_id=record.id, record_type=t, record_id=i, action=a, row=row.row) for t, i, a in written]
            db.session.add_all(items)
            written_items += items
            created += row.action is Action.NEW
            updated += row.action is Action.UPDATE
    skipped = len(plan.rows) - created - updated - len(plan.with_action(Action.UNCHANGED, Action.LINKED))
    record.created += created
    record.updated += updated
    record.skipped += skipped
    db.session.flush()
    record.audit_to = last_audit_id()
    for item in written_items:
        item.audit_from, item.audit_to = part_from, record.audit_to
    if end >= record.rows:
        record.finished_at = utcnow()
        record.upload_token = None
    db.session.flush()
    return Outcome(record.id, plan, created, updated, skipped, tuple(refused))


def commit_import(actor: Actor, kind: Kind, sheet: SheetResult, unit: Unit | None, decisions: Mapping[int, int] | None,
                  *, file_name: str, sha256: str, sheet_name: str | None = None, defaults: Mapping[str, Any] | None = None) -> Outcome:
    """The whole sheet as one part (the caller commits once)."""
    record = start_import(actor, kind, sheet, unit, file_name=file_name, sha256=sha256, sheet_name=sheet_name)
    if sheet.problems:  # nothing is written; the plan carries the problems
        record.rows, record.finished_at = 0, utcnow()
        db.session.flush()
        return Outcome(record.id, _plan(_context(actor, kind, sheet, unit, decisions, defaults), sheet), 0, 0, 0, ())
    return commit_part(actor, kind, sheet, unit, decisions, record, len(sheet.rows), defaults)


# --- revert ---------------------------------------------------------------------------------------------------
class RevertRefused(Exception):
    def __init__(self, message: Any, changed: tuple[str, ...] = ()) -> None:
        super().__init__(str(message))
        self.message = str(message)
        self.changed = changed  # the records changed since the import, for the user to decide about


@dataclass(frozen=True)
class Reverted:
    deleted: int
    restored: int
    kept: tuple[str, ...]  # records left as they are (changed since, or used by a later record)


def _label(item: ImportItem, obj: Any) -> str:
    return str(_l("第 %(row)s 行的%(what)s“%(name)s”", row=item.row, what=str(getattr(obj, "__audit_name__", "") or item.record_type),
                  name=str(obj) if obj is not None else item.record_id))


def revert_import(actor: Actor, import_id: int, leave_changed: bool = False) -> Reverted:
    """Delete what the import created and restore what it updated, newest first. A record changed since the
    import refuses the revert, unless ``leave_changed``: then it is left as it is and listed."""
    record = import_by_id(import_id)
    if record is None or record.user_id != actor.user_id:
        raise RevertRefused(_l("找不到导入记录 #%(id)s（只能撤销自己的导入）", id=import_id))
    if record.reverted_at is not None:
        raise RevertRefused(_l("导入 #%(id)s 已经撤销过", id=import_id))
    if utcnow() - record.created_at > timedelta(days=REVERT_DAYS):
        raise RevertRefused(_l("导入已超过 %(days)s 天，不能撤销", days=REVERT_DAYS))
    targets = [(item, db.session.get(model_of(item.record_type), item.record_id)) for item in record.items]
    undone = reverted_windows(record.audit_to)

    # The import's own parts: a later part's row about an earlier part's record is the import's, not a change since.
    undone += sorted({(item.audit_from, item.audit_to) for item in record.items if item.audit_to is not None})

    def changed_since(item: ImportItem) -> bool:
        later = audit_rows(item.record_type, item.record_id, after=item.audit_to or record.audit_to)
        return any(not any(low < row.id <= high for low, high in undone) for row in later)

    changed = {item.id for item, _obj in targets if changed_since(item)}
    listed = tuple(_label(item, obj) for item, obj in targets if item.id in changed)
    if changed and not leave_changed:
        raise RevertRefused(_l("以下记录在导入后已被修改，撤销会覆盖这些修改"), listed)
    deleted = restored = 0
    kept = list(listed)
    record.revert_from = last_audit_id()
    for item, obj in reversed(targets):
        if item.id in changed or obj is None:
            continue
        if item.action == "create":
            try:
                with db.session.begin_nested():
                    for dependent in DEPENDENTS.get(item.record_type, lambda _obj: [])(obj):
                        db.session.delete(dependent)
                    db.session.delete(obj)
                    db.session.flush()
                deleted += 1
            except IntegrityError:  # a later record uses it (another unit's project of a new company)
                kept.append(_label(item, obj))
        else:
            restored += _restore(obj, item, record)
    record.reverted_at = utcnow()
    record.reverted_by_id = actor.user_id
    record.revert_to = last_audit_id()
    db.session.flush()
    return Reverted(deleted, restored, tuple(kept))


def _restore(obj: Any, item: ImportItem, record: Import) -> int:
    """Each field the import changed back to its value before (the oldest audit row of the import's window)."""
    columns = inspect(obj).mapper.columns
    before: dict[str, str | None] = {}
    window = (item.audit_from, item.audit_to) if item.audit_to is not None else (record.audit_from, record.audit_to)
    for row in audit_rows(item.record_type, item.record_id, after=window[0], up_to=window[1]):
        if row.action == "update" and row.field and row.field not in before and row.field in columns:
            before[row.field] = row.old_value
    for name, text in before.items():
        setattr(obj, name, value_from_text(columns[name], text))
    db.session.flush()
    if isinstance(obj, Company) and before:
        refresh_derived(obj)  # its names' search text and blocking keys follow the restored names
    return 1 if before else 0
