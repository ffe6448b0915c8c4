"""What an import will do, row by row, before anything is written: plain frozen data a template can render.

``crm.imports.services.plan_import`` builds a ``Plan``; ``commit_import`` writes the rows the plan marks as
new or update (a row waiting for a decision or in error is never written, nor anything from it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping


class Action(StrEnum):
    NEW = "new"  # a record the import creates
    UPDATE = "update"  # an existing record whose fields the sheet changes (``RowPlan.changes``)
    UNCHANGED = "unchanged"  # an existing record the sheet says nothing new about (a second import of a file)
    LINKED = "linked"  # a company row that is a company of the library (nothing to fill in)
    DECISION = "decision"  # the investor could be one of several companies: the user picks one (or "new")
    ERROR = "error"  # row, column and reason; nothing of the row is written
    SKIPPED = "skipped"  # 合计/小计, a note, a heading, a repeat of an earlier row


WRITTEN = (Action.NEW, Action.UPDATE)


@dataclass(frozen=True)
class Change:
    field: str  # the model's attribute
    label: str  # the column's header as the sheet says it (or the template's)
    old: str
    new: str


@dataclass(frozen=True)
class Candidate:
    """A company of the library the sheet's investor may be."""

    company_id: int
    name: str
    score: float


@dataclass(frozen=True)
class CompanyLink:
    """Where a row's company (a project's or lead's investor, a company row) comes from."""

    name: str  # as the sheet writes it
    company_id: int | None = None  # the existing company it links to; None: a company the import creates
    company_name: str | None = None  # the linked company's own name (a variant in the sheet links to it)
    candidates: tuple[Candidate, ...] = ()  # when ambiguous: the user's choice

    @property
    def is_new(self) -> bool:
        return self.company_id is None and not self.candidates


@dataclass(frozen=True)
class RowPlan:
    row: int  # as Excel shows it
    action: Action
    title: str = ""  # the record's name, for the user to recognise the row
    errors: tuple[str, ...] = ()  # Chinese, each naming row and column
    reason: str = ""  # why a row is skipped or waits, in Chinese
    changes: tuple[Change, ...] = ()
    company: CompanyLink | None = None
    record_id: int | None = None  # the existing record an update (or unchanged row) is about
    # What the lookups found (ids, typed values), for commit_import; a template has no use for it.
    values: Mapping[str, Any] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Totals:
    rows: int
    new: int
    updated: int
    unchanged: int
    linked: int
    decisions: int
    errors: int
    skipped: int


@dataclass(frozen=True)
class Plan:
    kind: str
    unit_id: int | None  # the unit the records go to (None: companies, shared by every unit)
    rows: tuple[RowPlan, ...]
    problems: tuple[str, ...] = ()  # the sheet's own (a required column missing): nothing can be imported

    def with_action(self, *actions: Action) -> list[RowPlan]:
        return [r for r in self.rows if r.action in actions]

    @property
    def totals(self) -> Totals:
        count = {action: 0 for action in Action}
        for row in self.rows:
            count[row.action] += 1
        return Totals(
            rows=len(self.rows), new=count[Action.NEW], updated=count[Action.UPDATE], unchanged=count[Action.UNCHANGED],
            linked=count[Action.LINKED], decisions=count[Action.DECISION], errors=count[Action.ERROR],
            skipped=count[Action.SKIPPED],
        )
