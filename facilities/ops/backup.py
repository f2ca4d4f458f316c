"""Backups of the whole database: SQLite through its online backup API, PostgreSQL through
pg_dump / pg_restore (custom format)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

from facilities.core.db import Database
from facilities.core.errors import DomainError


class BackupError(DomainError):
    status_code = 422
    title = "Backup or restore failed"


def _libpq_url(db: Database) -> str:
    return make_url(db.url).set(drivername="postgresql").render_as_string(hide_password=False)


def _sqlite_path(db: Database) -> str:
    return make_url(db.url).database or ""


def backup(db: Database, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    if db.engine.dialect.name == "sqlite":
        with _sqlite_errors(), sqlite3.connect(_sqlite_path(db)) as source:
            with sqlite3.connect(partial) as copy:
                source.backup(copy)
            copy.close()
    else:
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", _libpq_url(db)])
    os.replace(partial, target)


def restore(db: Database, source: Path) -> None:
    """Replace the database's content with the backup's, in one step as far as the engine allows."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    db.dispose()
    if db.engine.dialect.name == "sqlite":
        with _sqlite_errors(), sqlite3.connect(source) as backup_db:
            if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{source} is not a sound SQLite backup")
            with sqlite3.connect(_sqlite_path(db)) as live:
                backup_db.backup(live)
        return
    _run(["pg_restore", "--list", str(source)])  # refuses a file that is not a pg_dump archive
    _run([
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
        "--exit-on-error", f"--dbname={_libpq_url(db)}", str(source),
    ])  # fmt: skip


@contextmanager
def _sqlite_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite: {exc}") from None


def _run(command: list[str]) -> None:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
