"""What the preview page shows of a plan, and the decisions it posts back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from flask_babel import lazy_gettext as _l

from crm.companies.services import find_company_by_name
from crm.domain.imports.fields import Kind
from crm.domain.imports.plan import Action, Plan, RowPlan
from crm.domain.imports.rows import SheetResult
from crm.imports.context import NEW_COMPANY
from crm.imports.services import PlanState, plan_of
from crm.units.models import Unit

SHOWN_ROWS = 200  # rows of each group listed on the page; the totals count them all
DECISION_FIELD = "decision-"  # decision-<row>: a candidate's id, NEW_COMPANY, OTHER, or blank (the row waits)
OTHER_FIELD = "decision-name-"  # decision-name-<row>: the company of the library picked by name (with OTHER)
OTHER = "other"
NOT_IN_LIBRARY = _l("第 %(row)s 行：企业库中没有“%(name)s”，这一行未导入")
# The groups of the page, in its order.
GROUPS = (Action.DECISION, Action.ERROR, Action.NEW, Action.UPDATE, Action.SKIPPED, Action.UNCHANGED, Action.LINKED)


@dataclass(frozen=True)
class Preview:
    """A sheet converted with the chosen columns and its plan so far (kept between requests by the upload)."""

    sheet: SheetResult
    state: PlanState

    @property
    def total(self) -> int:
        return len(self.sheet.rows)

    @property
    def percent(self) -> int:
        return 100 if not self.total else min(100, self.state.done * 100 // self.total)


@dataclass(frozen=True)
class Group:
    action: Action
    rows: list[RowPlan]  # the first SHOWN_ROWS
    count: int


@dataclass(frozen=True)
class PreviewPage:
    done: bool
    preview: Preview
    plan: Plan | None
    groups: list[Group]


def preview_of(preview: Preview, kind: Kind, unit: Unit | None) -> PreviewPage:
    if preview.state.done < preview.total:
        return PreviewPage(False, preview, None, [])
    plan = plan_of(kind, unit, preview.state)
    groups = []
    for action in GROUPS:
        rows = plan.with_action(action)
        if rows:
            groups.append(Group(action, rows[:SHOWN_ROWS], len(rows)))
    return PreviewPage(True, preview, plan, groups)


def decisions_from(form: Mapping[str, Any], rows: list[RowPlan]) -> tuple[dict[int, int], list[str]]:
    """decisions[row] from the posted choices — a candidate the preview offered for that row, a new company, or
    another company of the library named with the picker — and the rows whose named company was not found."""
    offered = {r.row: {c.company_id for c in r.company.candidates} for r in rows if r.action is Action.DECISION and r.company}
    decisions: dict[int, int] = {}
    unknown: list[str] = []
    for row, candidates in offered.items():
        value = str(form.get(f"{DECISION_FIELD}{row}", "")).strip()
        named = str(form.get(f"{OTHER_FIELD}{row}", "")).strip()
        if value.isdigit() and (int(value) == NEW_COMPANY or int(value) in candidates):
            decisions[row] = int(value)
        elif value in (OTHER, "") and named:
            company = find_company_by_name(named)
            if company is not None:
                decisions[row] = company.id
            else:
                unknown.append(str(NOT_IN_LIBRARY % {"row": row, "name": named}))
    return decisions, unknown
