"""The `facilities` command."""

from __future__ import annotations

import getpass
import sqlite3
import sys
from pathlib import Path

import click

from facilities.auth_cli import tokens, users
from facilities.clock import today
from facilities.db import Database
from facilities.jobs_cli import jobs, scheduler
from facilities.settings import Settings, SettingsError
from leases.cli import report


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


FIRST_ADMIN_HINT = """
No one can log in yet: every page and API call needs a login (except /health).
  the first admin, for the browser (http://127.0.0.1:8000/login):
      .venv/bin/facilities users create NAME --role admin
  an API token (printed once, on the last line):
      .venv/bin/facilities tokens create NAME --role admin
      curl -H "Authorization: Bearer <token>" http://127.0.0.1:8000/api/v1/ownership/summary"""


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@click.group()
def main() -> None:
    """NIA capital-facilities tracker: sites, leases, rent reduction, construction."""


@main.command()
def init() -> None:
    """Run the migrations and load the seed into an empty database (a no-op on a loaded one)."""
    from facilities.auth import anyone_can_log_in
    from facilities.domains import seed_loaders
    from facilities.migrate import init_lock, upgrade
    from facilities.seeding import load_missing

    settings = _settings()
    db = Database(settings)
    try:
        with init_lock(db):
            with db.engine.begin() as connection:
                upgrade(connection)
            with db.session(write=True) as session:
                lines = load_missing(session, settings.seed_dir, seed_loaders())
                has_logins = anyone_can_log_in(session)
    finally:
        db.dispose()
    click.echo(f"database ready: {db.engine.url.render_as_string(hide_password=True)}")
    for line in lines:
        click.echo(f"  seed {line}")
    if not has_logins:
        click.echo(FIRST_ADMIN_HINT)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the API and pages; run the scheduler too unless FACILITIES_SCHEDULER=off."""
    import threading

    import uvicorn

    from facilities.app import create_app
    from facilities.scheduler import run_scheduler

    settings = _settings()
    stop = threading.Event()
    if settings.scheduler:
        db = Database(settings)
        threading.Thread(
            target=run_scheduler, args=(db, settings, stop), name="scheduler", daemon=True
        ).start()
    try:
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    finally:
        stop.set()


@main.group(name="import")
def import_() -> None:
    """Import a register from a file."""


@import_.command(name="sites")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def import_sites(file: Path) -> None:
    """Upsert sites by code from CSV or XLSX; if any row is bad, import nothing."""
    from facilities.services import apply_import, plan_import
    from facilities.site_files import FileProblem, parse_sites, read_table

    settings = _settings()
    db = Database(settings)
    try:
        rows, problems = parse_sites(read_table(file), file.name)
        with db.session(write=True) as session:
            plan, more = plan_import(session, rows, today=today(settings))
            problems = sorted(problems + more)
            if problems:
                for line, problem in problems:
                    click.echo(f"line {line}: {problem}", err=True)
                raise click.ClickException(
                    f"Nothing was imported: {len(problems)} problem(s) in {file.name}."
                )
            result = apply_import(session, plan, actor=_actor())
    except FileProblem as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.dispose()
    for code in result.created:
        click.echo(f"created {code}")
    for code, fields in result.updated.items():
        click.echo(f"updated {code}: {', '.join(fields)}")
    click.echo(
        f"{_count(len(result.updated), 'site')} updated, {len(result.created)} created, "
        f"{result.unchanged} unchanged."
    )


@main.group()
def export() -> None:
    """Export a register to a file."""


@export.command(name="sites")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def export_sites(file: Path) -> None:
    """Write every site to CSV or XLSX (by extension), in the columns import reads."""
    from facilities.services import list_sites, site_fields
    from facilities.site_files import FileProblem, write_table

    db = Database(_settings())
    try:
        with db.session() as session:
            sites, total = list_sites(session, limit=sys.maxsize)
            write_table([site_fields(s) for s in sites], file)
    except FileProblem as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.dispose()
    click.echo(f"{_count(total, 'site')} written to {file}")


@main.command(name="backup")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def backup_command(file: Path) -> None:
    """Back up the whole database to FILE (SQLite online backup, or pg_dump)."""
    from facilities.backup import BackupError, backup

    db = Database(_settings())
    try:
        backup(db, file)
    except (BackupError, sqlite3.Error) as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        db.dispose()
    click.echo(f"backup written to {file}")


@main.command(name="restore")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def restore_command(file: Path) -> None:
    """Replace the database's content with a backup made by `facilities backup`."""
    from facilities.backup import BackupError, restore

    db = Database(_settings())
    try:
        restore(db, file)
    except (BackupError, sqlite3.Error) as exc:
        raise click.ClickException(f"restore failed, the database is as it was: {exc}") from None
    finally:
        db.dispose()
    click.echo(f"database restored from {file}")


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


main.add_command(users)
main.add_command(tokens)
main.add_command(jobs)
main.add_command(scheduler)
main.add_command(report)

if __name__ == "__main__":
    main()
