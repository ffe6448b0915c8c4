"""What every kind's planner and writer share: the actor, the unit, the sheet's layout, the user's decisions, and
the lookups that turn a cell's name into a record, or into an error that names the row and the column."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, Callable, Mapping, TypeVar

from crm.domain.access import Actor, Role
from crm.domain.imports.fields import Field, Kind, Type, field_named
from crm.domain.imports.headers import Layout
from crm.domain.imports.plan import Change
from crm.imports import messages
from crm.extensions import db
from crm.imports.queries import active_chains, chain_in, people_named, unit_named, unit_project_ids, unit_lead_ids
from crm.leads.models import Lead
from crm.projects.models import Project
from crm.units.models import Unit
from crm.web.labels import label_text
from crm.web.money import reading

# decisions[row] for a row whose investor needs one: the id of the company it is, or NEW_COMPANY.
NEW_COMPANY = 0
T = TypeVar("T")
# The choices a sheet often leaves out that the importer may give up front, for every row (docs/IMPORT.md, Defaults).
DEFAULTABLE: dict[Kind, tuple[str, ...]] = {
    Kind.LEADS: ("source",),
    Kind.FUNDS: ("source", "purpose"),
    Kind.ISSUES: ("category", "source", "level"),
}


def defaults_from(kind: Kind, chosen: Mapping[str, str]) -> dict[str, Any]:
    """The members the importer chose up front (enum values as posted), for ``Context.defaults``."""
    found: dict[str, Any] = {}
    for name in DEFAULTABLE.get(kind, ()):
        spec = field_named(kind, name)
        members = {member.value: member for member in spec.choices.words} if spec.choices else {}
        if chosen.get(name) in members:
            found[name] = members[chosen[name]]
    return found


@dataclass
class Context:
    actor: Actor
    kind: Kind
    unit: Unit | None  # None for companies (shared)
    layout: Layout
    decisions: Mapping[int, int]
    today: date
    import_id: int | None = None  # set by the commit, for the stage events it writes
    defaults: Mapping[str, Any] = field(default_factory=dict)  # values chosen up front for what sheets lack (a lead's 来源方式)
    planned_companies: dict[str, int] = field(default_factory=dict)  # a new company's name → the row creating it
    created_companies: dict[str, int] = field(default_factory=dict)  # the commit's: a new company's name → its id
    answers: dict[tuple[Any, ...], Any] = field(default_factory=dict, repr=False)  # ``once``

    def once(self, key: tuple[Any, ...], look_up: Callable[[], T]) -> T:
        """``look_up()``, asked once per plan. A file names the same investors, people, units and chains on many
        rows (20,000 projects of 5,000 investors), and a plan changes nothing it keeps (a preview's trial writes are
        rolled back; the commit plans every row first, then writes). Keep ids and names here, not records a savepoint could expire."""
        if key not in self.answers:
            self.answers[key] = look_up()
        return self.answers[key]  # type: ignore[no-any-return]
    default_owner: int | None = None  # who follows a record whose row names nobody (services.default_owner)

    @property
    def import_month(self) -> str:
        return self.today.strftime("%Y-%m")

    def where(self, name: str) -> tuple[str, str]:
        """The column letter and header of a field (the template's header when the sheet has no such column)."""
        column = self.layout.column_of(name)
        if column is not None:
            return column.letter, column.header
        return "", field_named(self.kind, name).label

    def error(self, row: int, name: str, reason: Any) -> str:
        letter, header = self.where(name)
        return messages.at(row, letter, header, reason)

    def label(self, name: str) -> str:
        return self.where(name)[1]

    # --- lookups ---------------------------------------------------------------------------------------------
    def unit_of_row(self, row: int, name: str | None, errors: list[str]) -> None:
        """A row that names its unit must name the unit imported into: another unit's rows are never written."""
        if not name or self.unit is None or name in (self.unit.name, self.unit.short_name):
            return
        found = self._unit_named(name)
        if found is None:
            errors.append(self.error(row, "unit", messages.NOT_FOUND_UNIT % {"name": name}))
        elif found[0] != self.unit.id:
            errors.append(self.error(row, "unit", messages.OTHER_UNIT % {"name": found[1], "unit": self.unit.name}))

    def _unit_named(self, name: str) -> tuple[int, str] | None:
        def look_up() -> tuple[int, str] | None:
            unit = unit_named(name, self.actor.county_id)
            return (unit.id, unit.name) if unit is not None else None

        return self.once(("unit", name), look_up)

    def unit_id(self, row: int, field_name: str, name: str | None, errors: list[str]) -> int | None:
        if not name:
            return None
        found = self._unit_named(name)
        if found is None:
            errors.append(self.error(row, field_name, messages.NOT_FOUND_UNIT % {"name": name}))
            return None
        return found[0]

    def person_id(self, row: int, field_name: str, name: str | None, errors: list[str], unit_ids: frozenset[int] | None = None) -> int | None:
        """An active account of the given units (the units the actor sees, by default) called ``name``."""
        if not name:
            return None
        units = unit_ids if unit_ids is not None else self.actor.visible_unit_ids
        people = self.once(("people", name, units), lambda: [person.id for person in people_named(name, units)])
        if not people:
            where = self.unit.name if self.unit is not None and unit_ids == frozenset({self.unit.id}) else str(messages.VISIBLE_UNITS)
            errors.append(self.error(row, field_name, messages.NOT_FOUND_PERSON % {"name": name, "units": where}))
            return None
        if len(people) > 1:
            errors.append(self.error(row, field_name, messages.TWO_PEOPLE % {"name": name}))
            return None
        return people[0]

    def owner_id(self, row: int, field_name: str, name: str | None, current: int | None, errors: list[str]) -> int:
        """跟踪人/跟进人: the importing user unless the column names someone of the unit; naming another person is a
        chief's (as in the forms)."""
        assert self.unit is not None
        wanted = self.person_id(row, field_name, name, errors, frozenset({self.unit.id}))
        fallback = current or self.default_owner or self.actor.user_id
        if wanted is None:
            return fallback
        if wanted != fallback and self.actor.role is not Role.CHIEF:
            errors.append(self.error(row, field_name, messages.OWNER_BY_CHIEF))
        return wanted

    def chain_id(self, row: int, name: str | None, errors: list[str]) -> int | None:
        if not name:
            return None
        chain = chain_in(self.once(("chains",), active_chains), name)
        if chain is None:
            errors.append(self.error(row, "chain", messages.NOT_FOUND_CHAIN % {"name": name}))
            return None
        return chain

    def unit_projects(self, name: str) -> list[Project]:
        """The unit's own projects of this name (``queries.unit_project_ids``: one query for the whole file)."""
        assert self.unit is not None
        unit_id = self.unit.id
        ids = self.once(("projects",), lambda: unit_project_ids(unit_id)).get(name, ())
        return [project for i in ids if (project := db.session.get(Project, i)) is not None]

    def unit_leads(self, name: str) -> list[Lead]:
        assert self.unit is not None
        unit_id = self.unit.id
        ids = self.once(("leads",), lambda: unit_lead_ids(unit_id)).get(name, ())
        return [lead for i in ids if (lead := db.session.get(Lead, i)) is not None]

    def future_months(self, row: int, months: dict[str, str | None], errors: list[str]) -> None:
        for name, month in months.items():
            if month and month > self.import_month:
                errors.append(self.error(row, name, messages.FUTURE_MONTH % {"value": month}))


def shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(messages.YES if value else messages.NO)
    if isinstance(value, (list, tuple)):
        return "、".join(shown(v) for v in value)
    return label_text(value)


def changes(ctx: Context, current: Any, wanted: Mapping[str, Any], labels: Mapping[str, str] | None = None) -> list[Change]:
    """The fields ``wanted`` that differ from the record's (every one for a new record, ``current`` None)."""
    found: list[Change] = []
    for name, value in wanted.items():
        old = getattr(current, name) if current is not None else None
        if current is not None and old == value:
            continue
        spec = _field(ctx, name)
        label = (labels or {}).get(name) or (ctx.label(name) if spec is not None else name)
        show = _amount_text if spec is not None and spec.type is Type.AMOUNT else shown
        found.append(Change(name, label, show(old), show(value)))
    return found


def _amount_text(value: Any) -> str:
    """An amount as the reports read it (6.00 亿元, 1,500 万元): the column's header may say 亿元 while the values
    are kept in 万元, and a bare 96000.00 under 总投资（亿元） reads as nonsense."""
    return "" if value is None else reading(value)


def _field(ctx: Context, name: str) -> Field | None:
    try:
        return field_named(ctx.kind, name)
    except KeyError:
        return None
