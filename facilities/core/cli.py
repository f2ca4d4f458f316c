"""What every `facilities` command shares: settings read from the environment, one unit of work
on a database opened and closed for the command, and errors turned into a message and an exit
status, never a traceback."""

from __future__ import annotations

import getpass
from collections.abc import Iterator
from contextlib import contextmanager

import click
from sqlalchemy.orm import Session

from facilities.core.db import Database
from facilities.core.errors import DomainError
from facilities.core.settings import Settings, SettingsError


def load_settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@contextmanager
def database(settings: Settings | None = None) -> Iterator[Database]:
    """The database for one command; a domain error becomes the command's error message."""
    db = Database(settings or load_settings())
    try:
        yield db
    except DomainError as exc:
        for problem in exc.extra.get("problems", ()):
            click.echo(problem, err=True)
        raise click.ClickException(exc.detail) from None
    finally:
        db.dispose()


@contextmanager
def unit_of_work(*, write: bool, settings: Settings | None = None) -> Iterator[Session]:
    """One transaction: committed if the command succeeds, rolled back if it fails. A command
    that writes says so, to take SQLite's write lock first (see `WriterQueue`)."""
    with database(settings) as db, db.session(write=write) as session:
        yield session


def actor() -> str:
    """Who the audit trail names for a change made at the command line."""
    return f"cli:{getpass.getuser()}"


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
