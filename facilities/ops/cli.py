"""`facilities backup` and `facilities restore`."""

from __future__ import annotations

from pathlib import Path

import click

from facilities.core.cli import database
from facilities.ops.backup import BackupError, backup, restore

FILE = click.Path(path_type=Path, dir_okay=False)


@click.command(name="backup")
@click.argument("file", type=FILE)
def backup_command(file: Path) -> None:
    """Back up the whole database to FILE (SQLite online backup, or pg_dump)."""
    with database() as db:
        backup(db, file)
    click.echo(f"backup written to {file}")


@click.command(name="restore")
@click.argument("file", type=FILE)
def restore_command(file: Path) -> None:
    """Replace the database's content with a backup made by `facilities backup`."""
    with database() as db:
        try:
            restore(db, file)
        except BackupError as exc:
            raise BackupError(f"restore failed, the database is as it was: {exc.detail}") from None
    click.echo(f"database restored from {file}")


COMMANDS = [backup_command, restore_command]
