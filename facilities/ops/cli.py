"""`facilities backup` and `restore`; the agency (`agency set`, `agency show`); the register as
one workbook (`import workbook`, `export workbook`, `template workbook`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path

import click
from sqlalchemy.orm import Session

from facilities.core.cli import actor, database, load_settings, plural, unit_of_work
from facilities.core.clock import today
from facilities.core.files import save
from facilities.core.sheets import Importing
from facilities.ops.agency import current_agency, set_agency
from facilities.ops.backup import BackupError, backup, restore
from facilities.ops.workbook import (
    RegisterSheet,
    export_workbook,
    import_workbook,
    template_workbook,
)

FILE = click.Path(path_type=Path, dir_okay=False)
SHOWN_CHANGES = 20
"""Updated rows listed per sheet; the rest are counted."""


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


DefaultRule = Callable[..., None]
"""Makes the mandate rule of a name the default (the lease register's, handed in)."""


def agency_group(make_default_rule: DefaultRule) -> click.Group:
    """`facilities agency`: the agency whose register this is."""

    @click.group(name="agency")
    def agency() -> None:
        """The agency whose register this is: its names on every page, report and file."""

    @agency.command(name="set")
    @click.option("--name-zh", help="Full name in Chinese, e.g. 勞動部")
    @click.option("--name", help="Full name in English, e.g. Ministry of Labor")
    @click.option("--short-name-zh", help="Short name in Chinese (page titles)")
    @click.option("--short-name", help="Short name or initials in English, e.g. MOL")
    @click.option("--default-rule", help="The mandate rule (by name) that reports apply")
    def set_command(default_rule: str | None, **names: str | None) -> None:
        """Name the agency, or change some of its names; the first time, give all four."""
        with unit_of_work(write=True) as session:
            changed = set_agency(session, names, actor=actor())
            if default_rule:
                make_default_rule(session, default_rule, actor=actor())
            shown = current_agency(session)
        click.echo(f"agency: {shown.heading} ({shown.short_name_zh}, {shown.short_name})")
        click.echo(f"changed: {', '.join(changed)}" if changed else "names unchanged")
        if default_rule:
            click.echo(f"default rule: {default_rule}")

    @agency.command(name="show")
    def show_command() -> None:
        """Print the agency's names."""
        with unit_of_work(write=False) as session:
            for name, value in asdict(current_agency(session)).items():
                click.echo(f"{name}: {value}")

    return agency


def workbook_commands(registers: Callable[[], Sequence[RegisterSheet]]) -> dict[str, click.Command]:
    """The `workbook` command of each group (import, export, template), for the sheets the
    composition root hands in."""

    @click.command(name="workbook")
    @click.argument("file", type=FILE)
    def import_command(file: Path) -> None:
        """Import the whole register from one .xlsx workbook: every row of every sheet checked
        by the API's rules, upserted by its key; if anything is wrong, nothing is imported and
        each problem is listed as sheet!row: reason."""
        settings = load_settings()
        importing = Importing(actor(), today(settings))
        with unit_of_work(write=True, settings=settings) as session:
            results = import_workbook(session, file, registers(), importing)
        for result in results:
            click.echo(f"{result.name}: {result.outcome.summary()}")
            for line in result.outcome.updated[:SHOWN_CHANGES]:
                click.echo(f"  updated {line}")
            if len(result.outcome.updated) > SHOWN_CHANGES:
                click.echo(f"  ... and {len(result.outcome.updated) - SHOWN_CHANGES} more")
        created = sum(r.outcome.created for r in results)
        updated = sum(len(r.outcome.updated) for r in results)
        click.echo(f"{file.name} imported: {plural(len(results), 'sheet')}, {created} rows "
                   f"created, {updated} updated.")  # fmt: skip

    @click.command(name="workbook")
    @click.argument("file", type=FILE)
    def export_command(file: Path) -> None:
        """Write the whole register to one .xlsx workbook, in the sheets and columns import
        reads: importing it again changes nothing."""
        write_workbook(file, lambda session: export_workbook(
            session, registers(), current_agency(session)))  # fmt: skip

    @click.command(name="workbook")
    @click.argument("file", type=FILE)
    def template_command(file: Path) -> None:
        """Write the workbook to fill in: every sheet with its headings, a row of example
        data, drop-down lists and formats, and a README sheet."""
        write_workbook(file, lambda session: template_workbook(
            session, registers(), current_agency(session)))  # fmt: skip

    return {"import": import_command, "export": export_command, "template": template_command}


def write_workbook(file: Path, make: Callable[[Session], bytes]) -> None:
    if file.suffix.lower() != ".xlsx":
        raise click.ClickException(f"{file.name}: a workbook is an .xlsx file")
    with unit_of_work(write=False) as session:
        save(make(session), file)
    click.echo(f"workbook written to {file}")
