"""问题台账: raise, edit and move issues along. Services validate and flush; the view commits once.

- The owning unit is the project's when the issue concerns a project, else the creator's.
- 编号 WT{year}-{seq:03d} is given here, per year of the 提出日期; the unique constraint settles a race.
- Every move and every action writes one 办理记录 line (IssueAction).
- 销号 and 退回重办 are the 督查's (Action.REVIEW); 交办 and 办结 the unit's editors' (Action.EDIT).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from crm.access.scoping import UNSCOPED
from crm.domain.access import Action, Actor, can, can_any
from crm.domain.issues import (
    MANUAL_ACTIONS,
    IssueActionKind,
    IssueCategory,
    IssueLevel,
    IssueSource,
    IssueStatus,
    MOVES,
    Move,
    Problem,
    action_problem,
    deadline_problem,
    escalation_problem,
    issue_number,
    move_problem,
    next_level,
    next_sequence,
    number_prefix,
    raised_problem,
)
from crm.errors import FieldError
from crm.extensions import db
from crm.issues.models import Issue, IssueAction, issue_target
from crm.projects.models import Project
from crm.units.models import Unit
from crm.web.labels import label

FORM = "form"  # a refusal about the whole form, shown above it
# Lines the service writes into the 办理记录 are records read by everyone: written in the county's language,
# whatever language the user who triggered them reads the pages in.
RECORD_LOCALE = "zh"
NUMBER_TRIES = 5

PROBLEM_MESSAGES = {
    Problem.RAISED_IN_FUTURE: _l("提出日期不能晚于今天"),
    Problem.DEADLINE_BEFORE_RAISED: _l("办理期限不能早于提出日期"),
    Problem.DATE_OUT_OF_RANGE: _l("日期超出合理范围，请核对"),
    Problem.WRONG_STATUS: _l("当前状态下不能进行此操作"),
    Problem.CLOSED: _l("该问题已销号，不能再办理或修改"),
    Problem.TOP_LEVEL: _l("已是最高协调层级（县委常委会），不能再上提"),
    Problem.NOT_OPEN: _l("该问题已办结，不能进行此操作"),
    Problem.NOTE_REQUIRED: _l("请填写说明"),
    Problem.REASON_REQUIRED: _l("退回重办须填写原因"),
}


class IssueError(FieldError):
    def __init__(self, field: str, problem: Problem | str) -> None:
        message = str(PROBLEM_MESSAGES[problem]) if isinstance(problem, Problem) else str(problem)
        super().__init__(field, message)


@dataclass
class IssueData:
    project_id: int | None
    description: str
    category: str
    source: str
    raised_on: date | None
    responsible_unit_id: int | None
    responsible_person: str | None
    deadline: date | None
    long_term: bool = False
    level: str | None = None  # only when raising; afterwards only 上提 changes it


# --- numbering ------------------------------------------------------------------------------
def next_number(year: int) -> str:
    """The next free 编号 of ``year`` across the installation (numbers are unique everywhere, so unscoped)."""
    prefix = number_prefix(year)
    latest = db.session.scalars(
        sa.select(Issue.number)
        .where(Issue.number.like(prefix + "%"))
        .order_by(sa.func.length(Issue.number).desc(), Issue.number.desc())
        .limit(20)
        .execution_options(**UNSCOPED)
    ).all()
    return issue_number(year, next_sequence(list(latest), year))


def _number_clash(error: IntegrityError) -> bool:
    text = str(error.orig)
    return "uq_issues_number" in text or "issues.number" in text


def _insert_numbered(issue: Issue) -> None:
    """Flush the new issue under the next free number; when another request took it meanwhile
    (the unique constraint says so), roll back to the savepoint and take the one after."""
    for _attempt in range(NUMBER_TRIES):
        issue.number = next_number(issue.raised_on.year)
        try:
            with db.session.begin_nested():
                db.session.add(issue)
                db.session.flush()
            return
        except IntegrityError as error:
            if not _number_clash(error):
                raise
    raise IssueError(FORM, _("编号分配冲突，请稍后再试"))


# --- checks ---------------------------------------------------------------------------------
def _check(data: IssueData, today: date, current_unit_id: int | None = None) -> Unit:
    """The three musts (责任单位, 负责人, 办理期限), the dates, the choices. Returns the responsible unit."""
    if data.responsible_unit_id is None:
        raise IssueError("responsible_unit_id", _("须明确责任单位"))
    if not (data.responsible_person or "").strip():
        raise IssueError("responsible_person", _("须明确负责人"))
    if data.deadline is None:
        raise IssueError("deadline", _("须明确办理期限"))
    if data.raised_on is None:
        raise IssueError("raised_on", _("请填写日期"))
    if problem := raised_problem(data.raised_on, today):
        raise IssueError("raised_on", problem)
    if problem := deadline_problem(data.raised_on, data.deadline):
        raise IssueError("deadline", problem)
    for field, enum_cls in (("category", IssueCategory), ("source", IssueSource)):
        try:
            enum_cls(getattr(data, field))
        except ValueError:
            raise IssueError(field, _("请从列表中选择")) from None
    unit = db.session.get(Unit, data.responsible_unit_id)
    # A unit that was closed down may stay on an issue that already names it, but is not chosen anew.
    if unit is None or (not unit.is_active and unit.id != current_unit_id):
        raise IssueError("responsible_unit_id", _("请从列表中选择"))
    return unit


def _apply(issue: Issue, data: IssueData, unit: Unit) -> None:
    issue.description = data.description.strip()
    issue.category = IssueCategory(data.category)
    issue.source = IssueSource(data.source)
    issue.raised_on = data.raised_on  # type: ignore[assignment]
    issue.responsible_unit_id = unit.id
    issue.responsible_unit = unit
    issue.responsible_person = (data.responsible_person or "").strip()
    issue.deadline = data.deadline  # type: ignore[assignment]
    issue.long_term = bool(data.long_term)


def _log(issue: Issue, actor: Actor | None, kind: IssueActionKind, note: str | None) -> IssueAction:
    action = IssueAction(issue=issue, kind=kind, note=(note or "").strip() or None, actor_id=actor.user_id if actor else None)
    db.session.add(action)
    return action


def _require(actor: Actor, action: Action | tuple[Action, ...], issue: Issue) -> None:
    """The view checks first; this keeps the rule when a service is called from elsewhere (any of several actions)."""
    if not can_any(actor, action if isinstance(action, tuple) else (action,), issue.access_target()):
        raise IssueError(FORM, _("您没有权限进行此操作"))


def _check_move(issue: Issue, move: Move) -> IssueStatus:
    """The status the move leads to, or the refusal (a wrong move is said, never a 500)."""
    if problem := move_problem(move, issue.status):
        raise IssueError(FORM, problem)
    return MOVES[move][1]


# --- raise and edit -------------------------------------------------------------------------
def create_issue(actor: Actor, data: IssueData, today: date) -> Issue:
    """A new 待交办 issue. Owned by the project's unit (the 服务专班 of a project raise issues for it).
    A county-level problem without a project is kept by its 责任单位 when the raiser may raise issues there
    (the 督查 交办s to the units below it), else by the raiser's own unit."""
    unit = _check(data, today)
    try:
        level = IssueLevel(data.level)
    except ValueError:
        raise IssueError("level", _("请从列表中选择")) from None
    if data.project_id is not None:
        project = db.session.get(Project, data.project_id)  # under the actor's scope
        if project is None or not can(actor, Action.CREATE, issue_target(project.unit_id, project.id)):
            raise IssueError("project_id", _("请从列表中选择"))
        owner_unit_id = project.unit_id
    elif can(actor, Action.CREATE, issue_target(unit.id)):
        owner_unit_id = unit.id
    elif can(actor, Action.CREATE, issue_target(actor.unit_id)):
        owner_unit_id = actor.unit_id
    else:
        raise IssueError(FORM, _("您没有权限进行此操作"))
    issue = Issue(
        unit_id=owner_unit_id,
        project_id=data.project_id,
        level=level,
        status=IssueStatus.NEW,
        created_by_id=actor.user_id,
    )
    _apply(issue, data, unit)
    _insert_numbered(issue)
    return issue


def update_issue(actor: Actor, issue: Issue, data: IssueData, today: date) -> None:
    """Edit what the issue says; the number, the owning unit, the level and the status stay.

    The project may change only to another project of the same unit, so the issue stays where it is kept.
    """
    _require(actor, Action.EDIT, issue)
    if issue.status is IssueStatus.CLOSED:
        raise IssueError(FORM, Problem.CLOSED)
    unit = _check(data, today, current_unit_id=issue.responsible_unit_id)
    if data.project_id != issue.project_id:
        if data.project_id is None:
            pass  # the problem turned out to be county-wide; it stays with the unit
        else:
            project = db.session.get(Project, data.project_id)
            if project is None or project.unit_id != issue.unit_id or not can(actor, Action.EDIT, issue_target(project.unit_id, project.id)):
                raise IssueError("project_id", _("只能选择本单位的项目"))
        issue.project_id = data.project_id
    _apply(issue, data, unit)
    db.session.flush()


# --- the status flow ------------------------------------------------------------------------
def assign_issue(actor: Actor, issue: Issue, note: str | None) -> None:
    """交办: 待交办 → 办理中, by the unit's editors or the 督查 above it."""
    _require(actor, (Action.EDIT, Action.ASSIGN), issue)
    issue.status = _check_move(issue, Move.ASSIGN)
    with force_locale(RECORD_LOCALE):
        default = _("交办%(unit)s（%(person)s）办理，期限 %(day)s", unit=issue.responsible_unit.name, person=issue.responsible_person,
                    day=issue.deadline.isoformat())
    _log(issue, actor, IssueActionKind.ASSIGN, note or default)
    db.session.flush()


def resolve_issue(actor: Actor, issue: Issue, note: str | None, today: date) -> None:
    """办结: 办理中 → 已办结 (待销号), with what was done, on ``today``."""
    _require(actor, Action.EDIT, issue)
    target = _check_move(issue, Move.RESOLVE)
    if not (note or "").strip():
        raise IssueError("note", _("请填写办结情况"))
    issue.status = target
    issue.resolved_on = max(today, issue.raised_on)
    _log(issue, actor, IssueActionKind.RESOLVE, note)
    db.session.flush()


def close_issue(actor: Actor, issue: Issue, note: str | None, today: date) -> None:
    """销号: 已办结 → 已销号, only after the 督查/效能监察 (a reviewer) confirms; records who and when."""
    _require(actor, Action.REVIEW, issue)
    issue.status = _check_move(issue, Move.CLOSE)
    issue.closed_on = max(today, issue.resolved_on or issue.raised_on)
    issue.closed_by_id = actor.user_id
    with force_locale(RECORD_LOCALE):
        default = _("核验属实，予以销号")
    _log(issue, actor, IssueActionKind.CLOSE, note or default)
    db.session.flush()


def reopen_issue(actor: Actor, issue: Issue, reason: str | None) -> None:
    """退回重办: 已办结 → 办理中, by a reviewer who found it not done, with the reason."""
    _require(actor, Action.REVIEW, issue)
    target = _check_move(issue, Move.REOPEN)
    if not (reason or "").strip():
        raise IssueError("note", Problem.REASON_REQUIRED)
    issue.status = target
    issue.resolved_on = None
    _log(issue, actor, IssueActionKind.REOPEN, reason)
    db.session.flush()


def escalate_issue(actor: Actor, issue: Issue, note: str | None) -> IssueLevel:
    """上提: one 协调层级 up (管委会 → 联席会议 → 常务会 → 常委会), by the unit's editors or the 督查."""
    _require(actor, (Action.EDIT, Action.REVIEW), issue)
    if problem := escalation_problem(issue.status, issue.level):
        raise IssueError(FORM, problem)
    before, after = issue.level, next_level(issue.level)
    assert after is not None
    issue.level = after
    with force_locale(RECORD_LOCALE):
        line = f"{label(before)} → {label(after)}"
    _log(issue, actor, IssueActionKind.ESCALATE, f"{line}：{note.strip()}" if (note or "").strip() else line)
    db.session.flush()
    return after


# --- actions --------------------------------------------------------------------------------
EDITOR_KINDS = MANUAL_ACTIONS  # 催办, 约谈, 现场办公, 办理记录
REVIEWER_KINDS = (IssueActionKind.URGE, IssueActionKind.TALK, IssueActionKind.NOTE)  # 督查催办, 效能监察约谈


def action_kinds(actor: Actor | None, issue: Issue) -> tuple[IssueActionKind, ...]:
    """The actions this actor may record on the issue (leaders add 批示 through ``add_instruction``)."""
    if actor is None:
        return ()
    target = issue.access_target()
    if can(actor, Action.EDIT, target):
        return EDITOR_KINDS
    if can(actor, Action.REVIEW, target):
        return REVIEWER_KINDS
    return ()


def add_action(actor: Actor, issue: Issue, kind: str, note: str | None) -> IssueAction:
    """催办 / 约谈 / 现场办公 / 办理记录, with a note; pushing actions only while the issue is open."""
    try:
        action_kind = IssueActionKind(kind)
    except ValueError:
        raise IssueError("kind", _("请从列表中选择")) from None
    if action_kind not in action_kinds(actor, issue):
        raise IssueError("kind", _("请从列表中选择"))
    if not (note or "").strip():
        raise IssueError("note", _("请填写办理情况"))
    if problem := action_problem(action_kind, issue.status):
        raise IssueError(FORM, problem)
    action = _log(issue, actor, action_kind, note)
    db.session.flush()
    return action


def add_instruction(actor: Actor, issue: Issue, note: str | None, urge: bool) -> IssueAction:
    """领导批示 (Action.COMMENT): a 办理记录 line of kind NOTE, or URGE when the leader presses for speed."""
    if not can(actor, Action.COMMENT, issue.access_target()):
        raise IssueError(FORM, _("您没有权限进行此操作"))
    if not (note or "").strip():
        raise IssueError("note", _("请填写批示内容"))
    kind = IssueActionKind.URGE if urge else IssueActionKind.NOTE
    if problem := action_problem(kind, issue.status):
        raise IssueError(FORM, problem)
    action = _log(issue, actor, kind, note)
    db.session.flush()
    return action
