"""``crm backup [--output FILE]`` and ``crm restore FILE [--overwrite]``.

Neither goes through the ORM session (nor ``system_session``): the backup reads the database beside the app,
without the write lock a command's transaction takes on SQLite, and the restore replaces the database whole.
Exit status 0 when done, 2 when a restore is refused (an invalid archive, a target that is not empty), 1 otherwise.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy.exc import SQLAlchemyError


class Refused(click.ClickException):
    exit_code = 2


@click.command("backup")
@click.option("--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The archive to write (default: CRM_BACKUP_DIR/crm-backup-<UTC time>.zip).")
@with_appcontext
def backup_command(output: Path | None) -> None:
    """Write one archive of the database and the attachment files (safe while the app runs)."""
    from crm.backup.errors import BackupError
    from crm.backup.services import make_backup

    try:
        result = make_backup(output)
    except (BackupError, SQLAlchemyError) as error:
        raise click.ClickException(f"backup failed, no archive written: {error}") from error
    for member in result.missing:
        click.echo(f"warning: {member} is named by the database but its file is missing", err=True)
    click.echo(f"backup written to {result.path.resolve()}")
    click.echo(str(result))


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--overwrite", is_flag=True, help="Replace a database and attachment folder that are not empty.")
@with_appcontext
def restore_command(file: Path, overwrite: bool) -> None:
    """Restore an archive of `crm backup` into an empty database and attachment folder (stop the app first)."""
    from crm.backup.errors import BackupError
    from crm.backup.services import restore_backup, schema_note
    from crm.domain.backups import ManifestError

    try:
        result = restore_backup(file, overwrite)
    except ManifestError as error:  # the archive or the target; nothing has been changed
        raise Refused(f"restore refused, nothing changed: {error}") from error
    except (BackupError, SQLAlchemyError) as error:
        raise click.ClickException(f"restore failed: {error}") from error
    click.echo(f"restored the {result.kind} database of {result.created_at} (revision {result.revision}) "
               f"and {result.files} attachment files")
    for member in result.missing:
        click.echo(f"warning: {member} was already missing when the backup was made", err=True)
    note = schema_note(result.revision)
    if note:
        click.echo(note)


COMMANDS = (backup_command, restore_command)
