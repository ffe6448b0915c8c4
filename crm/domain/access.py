"""Who may do what (DESIGN §1), as data plus one pure function.

The rules are a table keyed by (role, resource kind). Each entry says which
actions the role may take and *where*: on records of its own unit, of its
subtree, of any unit, or on its own account. Anything not in the table is
refused — the policy fails closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    STAFF = "staff"  # 招商专员
    CHIEF = "chief"  # 分局长
    REVIEWER = "reviewer"  # 审核员 (县招商局 / 督查)
    LEADER = "leader"  # 县级领导
    ADMIN = "admin"  # 管理员


class Action(StrEnum):
    VIEW = "view"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"
    ASSIGN = "assign"  # hand work to someone inside the unit
    REVIEW = "review"  # 审核, 销号
    MERGE = "merge"  # merge duplicate companies
    COMMENT = "comment"  # 批示
    MANAGE = "manage"  # accounts, units, settings, targets
    VIEW_HISTORY = "view_history"


class Resource(StrEnum):
    UNIT_RECORD = "unit_record"  # leads, visits, follow-ups, projects, agreements
    ISSUE = "issue"  # 问题台账: a unit record that the 督查 may also raise and 交办 (周督查 is one of its sources)
    MASTER_DATA = "master_data"  # companies and contacts, shared by every unit
    ACCOUNT = "account"  # user accounts
    UNIT = "unit"  # the unit tree itself
    AUDIT_LOG = "audit_log"  # the admin search over all audit rows
    # A county's report configuration: its targets (and its units' and leaders'), counting settings, published
    # 月报 and 评比. unit_id is the county, or the unit whose targets they are.
    REPORT = "report"
    # 服务单位月评议: a rater's monthly score sheets (unit_id: the rater's unit, the 分局 or the county for its
    # leaders). The county's results are read by its county roles (Reach.COUNTY: the 审核员 sits below the county).
    SERVICE_RATING = "service_rating"
    # 企业诉求: kept by the unit that 受理s it, like the unit's other records (the same grants, see below).
    COMPANY_REQUEST = "company_request"
    # 重点企业挂牌保护: the county's list (unit_id: the county). Everyone of the county reads it; its 审核员 and
    # admins above it keep it.
    PROTECTION = "protection"
    # 准入评审: a review of a unit's project (unit_id: the project's unit). The unit's staff and chief write the 初审;
    # REVIEW (the 会审) is the county's 审核员's and the admins'; leaders read.
    ADMISSION_REVIEW = "admission_review"
    # 联审联批: the county's report over the 审批手续 of its projects (unit_id: the county), read and exported by its
    # county roles. The procedures themselves are their projects' records (UNIT_RECORD).
    APPROVAL_REPORT = "approval_report"
    # 企业诉求 as its 责任单位 sees it (unit_id: the 责任单位): read it, and 办理/办结 it (EDIT here is only those two
    # moves, ``crm.domain.aftercare.HANDLER_MOVES``); the unit that 受理d it keeps the rest (COMPANY_REQUEST).
    ASSIGNED_REQUEST = "assigned_request"
    # 园区: the county's zones, their 分区, land ledger and 标准化厂房 (unit_id: the county). Read and kept as
    # PROTECTION is (see below).
    ZONE = "zone"


class Reach(StrEnum):
    """Where a grant applies, relative to the actor."""

    OWN_UNIT = "own_unit"  # target.unit_id is the actor's unit (or the actor serves on its team)
    SUBTREE = "subtree"  # target.unit_id is the actor's unit or below it
    ANYWHERE = "anywhere"  # shared data: no unit condition
    SELF = "self"  # the actor's own account
    # The actor's county (the 招商局's 审核员 answers for the county above it, DOMAIN §a) or their subtree.
    COUNTY = "county"


@dataclass(frozen=True)
class Actor:
    """The signed-in user as the policy sees them."""

    user_id: int
    role: Role
    unit_id: int
    subtree: frozenset[int]  # the actor's unit and every unit below it
    # The unit's materialised path ("/1/5/", see ``unit_paths``): SQL tests the subtree as a path prefix
    # instead of a list of ids. Empty when unknown: SQL then falls back to the ids of ``subtree``.
    unit_path: str = ""
    team_projects: frozenset[int] = frozenset()  # projects whose 服务专班 the actor is on now
    # The subtree holds every unit of the installation (a city's roles on a city's installation): SQL then needs
    # no unit condition at all.
    subtree_is_everything: bool = False
    # The county whose settings apply to the actor (``crm.domain.units.nearest_county``); None when unknown (a unit
    # whose path is not written yet): the policy then grants no county reach, and reports find it by the tree.
    county_id: int | None = None

    def __post_init__(self) -> None:
        if self.unit_id not in self.subtree:
            raise ValueError("an actor's subtree must contain its own unit")
        if self.unit_path and not self.unit_path.endswith(f"/{self.unit_id}/") and self.unit_path != PATH_SEPARATOR:
            raise ValueError("an actor's unit path must end with its own unit")

    @property
    def visible_unit_ids(self) -> frozenset[int]:
        """Units whose records this actor may read (DESIGN §1 'sees')."""
        return visible_unit_ids(self.role, self.unit_id, self.subtree)

    @property
    def sees_subtree(self) -> bool:
        """True for the roles that read their whole subtree; staff and chiefs read their own unit."""
        return self.role not in OWN_UNIT_ROLES


@dataclass(frozen=True)
class Target:
    """What the action is on, reduced to the facts the rules need."""

    resource: Resource
    unit_id: int | None = None  # the owning unit; None for shared master data
    account_id: int | None = None  # for accounts: whose account
    project_id: int | None = None  # the project the record is or belongs to (its 服务专班 works on it)


OWN_UNIT_ROLES = (Role.STAFF, Role.CHIEF)
PATH_SEPARATOR = "/"


def visible_unit_ids(role: Role, unit_id: int, subtree: frozenset[int]) -> frozenset[int]:
    """Staff and chiefs see their own unit; everyone else sees their subtree."""
    if role in OWN_UNIT_ROLES:
        return frozenset({unit_id})
    return frozenset(subtree)


A = Action
_UNIT_WORK = {A.VIEW, A.CREATE, A.EDIT, A.VIEW_HISTORY}

# (role, resource) -> [(reach, actions)]. Order does not matter; grants add up.
RULES: dict[tuple[Role, Resource], list[tuple[Reach, frozenset[Action]]]] = {
    # Business records of a unit.
    (Role.STAFF, Resource.UNIT_RECORD): [(Reach.OWN_UNIT, frozenset(_UNIT_WORK))],
    (Role.CHIEF, Resource.UNIT_RECORD): [(Reach.OWN_UNIT, frozenset(_UNIT_WORK | {A.ASSIGN, A.DELETE}))],
    (Role.REVIEWER, Resource.UNIT_RECORD): [(Reach.SUBTREE, frozenset({A.VIEW, A.VIEW_HISTORY, A.REVIEW}))],
    (Role.LEADER, Resource.UNIT_RECORD): [(Reach.SUBTREE, frozenset({A.VIEW, A.VIEW_HISTORY, A.COMMENT}))],
    (Role.ADMIN, Resource.UNIT_RECORD): [(Reach.SUBTREE, frozenset({A.VIEW, A.VIEW_HISTORY}))],
    # Companies and contacts are shared master data.
    (Role.STAFF, Resource.MASTER_DATA): [(Reach.ANYWHERE, frozenset(_UNIT_WORK))],
    (Role.CHIEF, Resource.MASTER_DATA): [(Reach.ANYWHERE, frozenset(_UNIT_WORK))],
    (Role.REVIEWER, Resource.MASTER_DATA): [(Reach.ANYWHERE, frozenset(_UNIT_WORK | {A.MERGE}))],
    (Role.LEADER, Resource.MASTER_DATA): [(Reach.ANYWHERE, frozenset({A.VIEW, A.VIEW_HISTORY}))],
    (Role.ADMIN, Resource.MASTER_DATA): [(Reach.ANYWHERE, frozenset(_UNIT_WORK | {A.MERGE}))],
    # Accounts: everyone sees their own; colleagues are visible where their records are.
    (Role.STAFF, Resource.ACCOUNT): [(Reach.SELF, frozenset({A.VIEW, A.EDIT})), (Reach.OWN_UNIT, frozenset({A.VIEW}))],
    (Role.CHIEF, Resource.ACCOUNT): [(Reach.SELF, frozenset({A.VIEW, A.EDIT})), (Reach.OWN_UNIT, frozenset({A.VIEW}))],
    (Role.REVIEWER, Resource.ACCOUNT): [(Reach.SELF, frozenset({A.VIEW, A.EDIT})), (Reach.SUBTREE, frozenset({A.VIEW}))],
    (Role.LEADER, Resource.ACCOUNT): [(Reach.SELF, frozenset({A.VIEW, A.EDIT})), (Reach.SUBTREE, frozenset({A.VIEW}))],
    (Role.ADMIN, Resource.ACCOUNT): [
        (Reach.SELF, frozenset({A.VIEW, A.EDIT})),
        (Reach.SUBTREE, frozenset({A.VIEW, A.MANAGE, A.VIEW_HISTORY})),
    ],
    # Unit names are public inside the installation (cross-unit hints name the unit);
    # only admins change the tree, and only below themselves.
    (Role.STAFF, Resource.UNIT): [(Reach.ANYWHERE, frozenset({A.VIEW}))],
    (Role.CHIEF, Resource.UNIT): [(Reach.ANYWHERE, frozenset({A.VIEW}))],
    (Role.REVIEWER, Resource.UNIT): [(Reach.ANYWHERE, frozenset({A.VIEW}))],
    (Role.LEADER, Resource.UNIT): [(Reach.ANYWHERE, frozenset({A.VIEW}))],
    (Role.ADMIN, Resource.UNIT): [
        (Reach.ANYWHERE, frozenset({A.VIEW})),
        (Reach.SUBTREE, frozenset({A.MANAGE, A.VIEW_HISTORY})),
    ],
    (Role.ADMIN, Resource.AUDIT_LOG): [(Reach.SUBTREE, frozenset({A.VIEW}))],
    # Publishing reports and setting targets: the county's 审核员, and admins above it.
    (Role.REVIEWER, Resource.REPORT): [(Reach.COUNTY, frozenset({A.MANAGE}))],
    (Role.ADMIN, Resource.REPORT): [(Reach.SUBTREE, frozenset({A.MANAGE}))],
    # 服务单位评议: the 分局长 and the county leaders score (``crm.domain.ratings.may_rate``); county roles read.
    (Role.CHIEF, Resource.SERVICE_RATING): [(Reach.OWN_UNIT, frozenset({A.VIEW, A.CREATE, A.EDIT}))],
    (Role.LEADER, Resource.SERVICE_RATING): [(Reach.OWN_UNIT, frozenset({A.CREATE, A.EDIT})), (Reach.COUNTY, frozenset({A.VIEW}))],
    (Role.REVIEWER, Resource.SERVICE_RATING): [(Reach.COUNTY, frozenset({A.VIEW}))],
    (Role.ADMIN, Resource.SERVICE_RATING): [(Reach.SUBTREE, frozenset({A.VIEW}))],
    # 挂牌保护: read by the county, kept by its 审核员 (the 招商局) and the admins above it.
    (Role.STAFF, Resource.PROTECTION): [(Reach.COUNTY, frozenset({A.VIEW}))],
    (Role.CHIEF, Resource.PROTECTION): [(Reach.COUNTY, frozenset({A.VIEW}))],
    (Role.LEADER, Resource.PROTECTION): [(Reach.COUNTY, frozenset({A.VIEW, A.VIEW_HISTORY}))],
    (Role.REVIEWER, Resource.PROTECTION): [(Reach.COUNTY, frozenset({A.VIEW, A.CREATE, A.EDIT, A.VIEW_HISTORY}))],
    (Role.ADMIN, Resource.PROTECTION): [(Reach.SUBTREE, frozenset({A.VIEW, A.CREATE, A.EDIT, A.VIEW_HISTORY}))],
    # 准入评审 (issue 17): the unit 初审s its projects; the 审核员 and admins record the 会审; leaders read.
    (Role.STAFF, Resource.ADMISSION_REVIEW): [(Reach.OWN_UNIT, frozenset(_UNIT_WORK))],
    (Role.CHIEF, Resource.ADMISSION_REVIEW): [(Reach.OWN_UNIT, frozenset(_UNIT_WORK))],
    (Role.REVIEWER, Resource.ADMISSION_REVIEW): [(Reach.SUBTREE, frozenset({A.VIEW, A.VIEW_HISTORY, A.REVIEW}))],
    (Role.LEADER, Resource.ADMISSION_REVIEW): [(Reach.SUBTREE, frozenset({A.VIEW, A.VIEW_HISTORY}))],
    (Role.ADMIN, Resource.ADMISSION_REVIEW): [(Reach.SUBTREE, frozenset({A.VIEW, A.VIEW_HISTORY, A.REVIEW}))],
    # 联审联批: the county's 审核员 and 县级领导 read and export it; admins above the county too.
    (Role.REVIEWER, Resource.APPROVAL_REPORT): [(Reach.COUNTY, frozenset({A.VIEW}))],
    (Role.LEADER, Resource.APPROVAL_REPORT): [(Reach.COUNTY, frozenset({A.VIEW}))],
    (Role.ADMIN, Resource.APPROVAL_REPORT): [(Reach.SUBTREE, frozenset({A.VIEW}))],
}
# 园区 are the county's, like its 挂牌保护 list: everyone of the county reads them, its 审核员 and admins keep them.
RULES.update({(role, Resource.ZONE): list(RULES[(role, Resource.PROTECTION)]) for role in Role})


# Issues are kept like the unit's other records (the same grants, whatever they become); the 督查 also raises
# them and 交办s them anywhere below (周督查 is one of their sources).
ISSUE_EXTRA: dict[Role, list[tuple[Reach, frozenset[Action]]]] = {Role.REVIEWER: [(Reach.SUBTREE, frozenset({A.CREATE, A.ASSIGN}))]}
RULES.update({(role, Resource.ISSUE): RULES.get((role, Resource.UNIT_RECORD), []) + ISSUE_EXTRA.get(role, []) for role in Role})
# 企业诉求 are the unit's records: who 受理s, 办理s and 回访s them is who works the unit's records.
RULES.update({(role, Resource.COMPANY_REQUEST): list(RULES.get((role, Resource.UNIT_RECORD), [])) for role in Role})
# The 责任单位's staff and chiefs handle the 诉求 assigned to their unit; the county roles read those of their subtree.
RULES.update({
    (Role.STAFF, Resource.ASSIGNED_REQUEST): [(Reach.OWN_UNIT, frozenset({A.VIEW, A.EDIT}))],
    (Role.CHIEF, Resource.ASSIGNED_REQUEST): [(Reach.OWN_UNIT, frozenset({A.VIEW, A.EDIT}))],
    (Role.REVIEWER, Resource.ASSIGNED_REQUEST): [(Reach.SUBTREE, frozenset({A.VIEW}))],
    (Role.LEADER, Resource.ASSIGNED_REQUEST): [(Reach.SUBTREE, frozenset({A.VIEW}))],
    (Role.ADMIN, Resource.ASSIGNED_REQUEST): [(Reach.SUBTREE, frozenset({A.VIEW}))],
})


def _within(actor: Actor, reach: Reach, target: Target) -> bool:
    if reach is Reach.ANYWHERE:
        return True
    if reach is Reach.SELF:
        return target.account_id is not None and target.account_id == actor.user_id
    if reach is Reach.OWN_UNIT:
        if target.project_id is not None and target.project_id in actor.team_projects:
            return True
        return target.unit_id is not None and target.unit_id == actor.unit_id
    if reach is Reach.SUBTREE:
        return target.unit_id is not None and target.unit_id in actor.subtree
    if reach is Reach.COUNTY:
        return target.unit_id is not None and (target.unit_id == actor.county_id or target.unit_id in actor.subtree)
    return False  # an unknown reach grants nothing


def can(actor: Actor | None, action: Action, target: Target) -> bool:
    """True when some grant of the actor's role covers this action on this target."""
    if actor is None:
        return False
    for reach, actions in RULES.get((actor.role, target.resource), ()):
        if action in actions and _within(actor, reach, target):
            return True
    return False


def can_any(actor: Actor | None, actions: tuple[Action, ...], target: Target) -> bool:
    """True when the actor may take at least one of ``actions`` (e.g. 交办: an editor's or the 督查's)."""
    return any(can(actor, action, target) for action in actions)


def holds(role: Role, action: Action, resource: Resource) -> bool:
    """True when the role is granted ``action`` on ``resource`` somewhere (e.g. whether a page offers 审核 at all)."""
    return any(action in actions for _reach, actions in RULES.get((role, resource), ()))


def reaches(role: Role, action: Action, resource: Resource) -> frozenset[Reach]:
    """Where the role may take ``action`` on ``resource``: the reaches of its grants (SQL builds its filter from
    them, ``crm.access.reach.granted_units``)."""
    return frozenset(reach for reach, actions in RULES.get((role, resource), ()) if action in actions)


class Gate(StrEnum):
    """What a role may open or do as a whole, before any record is read (the records are still checked one by
    one). The routes are gated by these, and the navigation offers a page to the roles its gate lets in."""

    TASKS = "tasks"  # 我的待办: the follow-up tasks of those who work the unit's records
    TEAM_TASKS = "team_tasks"  # 团队待办: the unit's tasks by person, handed over in bulk (a chief runs the unit)
    MY_PROJECTS = "my_projects"  # 我分包的项目
    REVIEW_QUEUE = "review_queue"  # 待审核 (admins see it without deciding)
    FUND_REVIEW = "fund_review"  # deciding 到位资金 entries
    DUPLICATES = "duplicates"  # 企业查重 and merges
    ADMINISTRATION = "administration"  # accounts, units, 产业链, the audit search, mail failures
    STAGE_CORRECTION = "stage_correction"  # moving a project back a stage (an admin's correction of an error)
    IMPORTS = "imports"  # 导入台账: bringing in spreadsheets, for those who create records or companies
    SERVICE_RATING = "service_rating"  # 服务单位评议: the raters' sheets, and the county roles' results


GATES: dict[Gate, frozenset[Role]] = {
    Gate.TASKS: frozenset({Role.STAFF, Role.CHIEF}),
    Gate.TEAM_TASKS: frozenset({Role.CHIEF}),
    Gate.MY_PROJECTS: frozenset({Role.LEADER}),
    Gate.REVIEW_QUEUE: frozenset({Role.REVIEWER, Role.ADMIN}),
    Gate.FUND_REVIEW: frozenset({Role.REVIEWER}),
    Gate.DUPLICATES: frozenset({Role.REVIEWER, Role.ADMIN}),
    Gate.ADMINISTRATION: frozenset({Role.ADMIN}),
    Gate.STAGE_CORRECTION: frozenset({Role.ADMIN}),
    Gate.IMPORTS: frozenset({Role.STAFF, Role.CHIEF, Role.REVIEWER, Role.ADMIN}),
    Gate.SERVICE_RATING: frozenset({Role.CHIEF, Role.LEADER, Role.REVIEWER, Role.ADMIN}),
}


def passes(actor: Actor | None, gate: Gate) -> bool:
    """Whether the gate lets the actor in (a gate missing from ``GATES`` lets nobody in)."""
    return actor is not None and actor.role in GATES.get(gate, frozenset())


def subtree_of(unit_id: int, parent_of: dict[int, int | None]) -> frozenset[int]:
    """The unit and all its descendants, given each unit's parent.

    Cycles in bad data cannot loop forever: each unit is visited once.
    """
    children: dict[int | None, list[int]] = {}
    for child, parent in parent_of.items():
        children.setdefault(parent, []).append(child)
    seen: set[int] = set()
    stack = [unit_id]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(children.get(current, ()))
    return frozenset(seen)


def unit_paths(parent_of: dict[int, int | None]) -> dict[int, str]:
    """Each unit's materialised path: the ids from the top of its tree down to itself, "/1/5/23/".

    A unit's subtree is then every unit whose path starts with its own, which SQL tests with one
    ``LIKE '/1/5/%'`` instead of a list of ids. Units caught in a cycle of bad data (which the services
    refuse to create) get no path, so nothing is ever found below them.
    """
    paths: dict[int, str] = {}
    for unit_id in parent_of:
        chain: list[int] = []
        seen: set[int] = set()
        current: int | None = unit_id
        while current is not None and current not in paths and current not in seen:
            seen.add(current)
            chain.append(current)
            current = parent_of.get(current)
        if current is not None and current not in paths:
            continue  # a cycle: leave these units without a path
        prefix = paths[current] if current is not None else PATH_SEPARATOR
        for unit in reversed(chain):
            prefix = f"{prefix}{unit}{PATH_SEPARATOR}"
            paths[unit] = prefix
    return paths


def would_create_cycle(unit_id: int, new_parent_id: int | None, parent_of: dict[int, int | None]) -> bool:
    """Moving ``unit_id`` under ``new_parent_id`` must not put a unit inside itself."""
    if new_parent_id is None:
        return False
    return new_parent_id in subtree_of(unit_id, parent_of)


def path_ids(path: str) -> list[int]:
    """The units of a materialised path, from the top of the tree down: "/1/5/23/" → [1, 5, 23]."""
    return [int(part) for part in path.split(PATH_SEPARATOR) if part]
