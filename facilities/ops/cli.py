"""`facilities backup` and `facilities restore`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from facilities.core.cli import database, load_settings
from facilities.ops.backup import BackupError, backup, restore

FILE = click.Path(path_type=Path, dir_okay=False)


def commands(revisions: Callable[[], Sequence[str]]) -> list[click.Command]:
    """The commands, for a product whose schema is at `revisions()` (the composition root's)."""

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
        """Replace the database's content with a backup made by `facilities backup` (checked
        first; the database it replaces is kept in the data directory)."""
        settings = load_settings()
        with database(settings) as db:
            try:
                kept = restore(db, file, Path(settings.data_dir) / "backups", revisions())
            except BackupError as exc:
                raise BackupError(
                    f"restore failed, the database is as it was: {exc.detail}"
                ) from None
        click.echo(f"database restored from {file}; the one it replaced is kept in {kept}")

    return [backup_command, restore_command]
