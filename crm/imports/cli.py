"""``crm import KIND FILE``, ``crm import revert ID`` and ``crm import template KIND``: the same plan and commit as
the upload page will use.

Exit status: 0 when the import ran (even with rows skipped), 2 for a file that cannot be read, a sheet without a
header or an unknown unit or user, 1 for an import refused (a unit the user may not write to).
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path
from typing import Any, NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext

from crm.domain.imports.fields import Kind
from crm.domain.imports.plan import Action, Plan
from crm.imports import messages

KINDS = [kind.value for kind in Kind]


@click.group("import")
def import_group() -> None:
    """Import a county's spreadsheets (项目台账, 企业名录 …), or revert an import."""


def _fail(message: Any) -> NoReturn:
    click.echo(str(message), err=True)
    sys.exit(2)


def _user_and_actor(username: str) -> tuple[Any, Any]:
    import sqlalchemy as sa

    from crm.access.policy import build_actor
    from crm.extensions import db
    from crm.users.models import User

    user = db.session.scalars(sa.select(User).where(User.username == username, User.is_active)).first()
    if user is None:
        _fail(messages.UNKNOWN_USER % {"name": username})
    return user, build_actor(user)


def _default_importer(kind: Kind, unit: Any) -> tuple[Any, Any]:
    """Without --user, the import is an administrator's: the first active admin whose subtree holds the unit (a
    county's go-live is its 招商局 admin's work); any admin for the 企业名录, which belongs to no unit."""
    import sqlalchemy as sa

    from crm.access.policy import build_actor
    from crm.domain.access import Role
    from crm.extensions import db
    from crm.users.models import User

    if unit is None and kind is not Kind.COMPANIES:
        _fail(messages.UNIT_OR_USER)
    for user in db.session.scalars(sa.select(User).where(User.role == Role.ADMIN, User.is_active).order_by(User.id)):
        actor = build_actor(user)
        if unit is None or unit.id in actor.subtree:
            return user, actor
    _fail(messages.NO_ADMIN % {"unit": unit.name if unit is not None else ""})


def _print_rows(plan: Plan) -> None:
    for problem in plan.problems:
        click.echo(problem)
    for row in plan.rows:
        if row.action is Action.ERROR:
            for error in row.errors:
                click.echo(error)
        elif row.action is Action.DECISION:
            assert row.company is not None
            names = "、".join(f"{c.name}（#{c.company_id}）" for c in row.company.candidates)
            click.echo(messages.WAITING % {"row": row.row, "reason": row.reason, "names": names})
        elif row.action is Action.SKIPPED:
            click.echo(messages.ROW_REASON % {"row": row.row, "reason": row.reason})


def _run(kind: Kind, path: str, unit_name: str | None, username: str, sheet_name: str | None, dry_run: bool) -> None:
    from crm.access.scoping import set_scope
    from crm.audit.services import set_audit_actor
    from crm.cli import system_session
    from crm.domain.imports.problems import ProblemError
    from crm.extensions import db
    from crm.imports.messages import reason
    from crm.imports.queries import unit_named
    from crm.imports.reading import Limits, UnreadableFile, open_book
    from crm.imports.services import ImportRefused, commit_import, plan_import
    from crm.imports.sheets import convert_sheet

    data = Path(path).read_bytes()
    with system_session():
        try:
            sheet = open_book(data, Path(path).name, Limits.from_config(current_app.config)).sheet(sheet_name)
            converted = convert_sheet(sheet, kind)
        except UnreadableFile as error:
            _fail(error.message)
        except ProblemError as error:  # no header row
            _fail(reason(error.problem))
        if username:
            user, actor = _user_and_actor(username)
            unit = user.unit
            if unit_name:
                unit = unit_named(unit_name, actor.county_id)
                if unit is None:
                    _fail(messages.UNKNOWN_UNIT % {"name": unit_name})
        else:
            unit = unit_named(unit_name) if unit_name else None
            if unit_name and unit is None:
                _fail(messages.UNKNOWN_UNIT % {"name": unit_name})
            user, actor = _default_importer(kind, unit)
        # From here on the import reads and writes as the user: their scope, their name in the audit log.
        set_scope(db.session, actor)
        set_audit_actor(db.session, user.id, f"{user.display_name}（命令行导入）")
        try:
            if dry_run:
                plan = plan_import(actor, kind, converted, unit, trial=True)
                _print_rows(plan)
                t = plan.totals
                click.echo(f"dry run: {t.rows} rows, {t.new} created, {t.updated} updated, "
                           f"{t.rows - t.new - t.updated - t.unchanged - t.linked} skipped")
                db.session.rollback()
                return
            outcome = commit_import(actor, kind, converted, unit, None, file_name=Path(path).name,
                                    sha256=hashlib.sha256(data).hexdigest(), sheet_name=sheet.name)
        except ImportRefused as error:
            raise click.ClickException(error.message) from error
        _print_rows(outcome.plan)
        for refusal in outcome.refused:
            click.echo(refusal)
        unchanged = len(outcome.plan.with_action(Action.UNCHANGED, Action.LINKED))
        if unchanged:
            click.echo(messages.UNCHANGED % {"count": unchanged})
    click.echo(f"import #{outcome.import_id}: {outcome.plan.totals.rows} rows, {outcome.created} created, "
               f"{outcome.updated} updated, {outcome.skipped} skipped")


def _kind_command(kind: Kind) -> click.Command:
    @click.command(kind.value, help=f"Import a {kind.value} sheet (FILE: .xlsx, .xls, .ods or .csv).")
    @click.argument("path", metavar="FILE", type=click.Path(exists=True, dir_okay=False))
    @click.option("--unit", "unit_name", default=None, help="单位名称 (default: the user's unit)")
    @click.option("--user", "username", default=None, help="the importing user's username (default: an admin over the unit)")
    @click.option("--sheet", "sheet_name", default=None, help="工作表名称 (default: the first)")
    @click.option("--dry-run", is_flag=True, help="print what would be imported, write nothing")
    @with_appcontext
    def command(path: str, unit_name: str | None, username: str, sheet_name: str | None, dry_run: bool) -> None:
        _run(kind, path, unit_name, username, sheet_name, dry_run)

    return command


for _kind in Kind:
    import_group.add_command(_kind_command(_kind))


@import_group.command("template")
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--output", "output", required=True, type=click.Path(dir_okay=False, writable=True), help="the .xlsx file to write")
@click.option("--unit", "unit_name", default=None, help="单位名称 for the example row's unit columns (the issues example needs one)")
@with_appcontext
def template(kind: str, output: str, unit_name: str | None) -> None:
    """Write the .xlsx template of KIND: its headers, dropdowns and an example row (docs/IMPORT.md)."""
    from crm.clock import local_today
    from crm.imports.templates import template_xlsx

    Path(output).write_bytes(template_xlsx(Kind(kind), unit_name, local_today()))
    click.echo(f"{kind} template written to {output}")


@import_group.command("revert")
@click.argument("import_id", type=int)
@click.option("--user", "username", required=True, help="the user who made the import")
@click.option("--leave-changed", is_flag=True, help="revert the rest when some records were changed since")
@with_appcontext
def revert(import_id: int, username: str, leave_changed: bool) -> None:
    """Undo import ID (within 30 days): delete what it created, restore what it updated."""
    from crm.access.scoping import set_scope
    from crm.audit.services import set_audit_actor
    from crm.cli import system_session
    from crm.extensions import db
    from crm.imports.services import RevertRefused, revert_import

    with system_session():
        user, actor = _user_and_actor(username)
        set_scope(db.session, actor)
        set_audit_actor(db.session, user.id, f"{user.display_name}（命令行撤销导入）")
        try:
            done = revert_import(actor, import_id, leave_changed)
        except RevertRefused as error:
            for line in error.changed:
                click.echo(line, err=True)
            raise click.ClickException(error.message) from error
        for line in done.kept:
            click.echo(messages.KEPT % {"record": line})
    click.echo(f"import #{import_id} reverted: {done.deleted} deleted, {done.restored} restored")
