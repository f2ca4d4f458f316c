"""Backups of the whole database: SQLite through its online backup API, PostgreSQL through
pg_dump / pg_restore (custom format). A restore first checks that the file is a backup of this
product (its tables and its schema's revisions), then keeps the database it replaces beside the
data, and leaves every cache invalid. The password never goes on a command line."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from facilities.core.db import Database
from facilities.core.errors import DomainError
from facilities.core.versions import CHANNEL

REQUIRED_TABLES = frozenset({"alembic_version", "sites", "counties", "users", "audit_log"})
"""Tables every backup of this product holds; a file without them is not one."""


class BackupError(DomainError):
    status_code = 422
    title = "Backup or restore failed"


def _libpq(db: Database) -> tuple[str, dict[str, str]]:
    """The connection URL without its password, and the environment that carries it."""
    url = make_url(db.url).set(drivername="postgresql")
    env = os.environ | ({"PGPASSWORD": url.password} if url.password else {})
    return url._replace(password=None).render_as_string(hide_password=False), env


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
        url, env = _libpq(db)
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", url], env)
    os.replace(partial, target)


def restore(db: Database, source: Path, keep_dir: Path, revisions: Sequence[str]) -> Path:
    """Replace the database's content with the backup's, in one step as far as the engine
    allows; returns where the replaced database was kept."""
    if not source.is_file():
        raise BackupError(f"{source}: no such backup file")
    check_backup(db, source, revisions)
    kept = keep_dir / f"before-restore-{datetime.now(UTC):%Y%m%dT%H%M%S}.backup"
    backup(db, kept)
    db.dispose()
    if db.engine.dialect.name == "sqlite":
        with (
            _sqlite_errors(),
            sqlite3.connect(source) as copy,
            sqlite3.connect(_sqlite_path(db)) as live,
        ):
            copy.backup(live)  # other processes' watchers see the change
        return kept
    url, env = _libpq(db)
    _run([
        "pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
        "--exit-on-error", f"--dbname={url}", str(source),
    ], env)  # fmt: skip
    with db.engine.begin() as connection:
        connection.execute(text(f"NOTIFY {CHANNEL}"))  # every process's cache is stale
    return kept


def check_backup(db: Database, source: Path, revisions: Sequence[str]) -> None:
    """The file must hold this product's tables at this product's schema revisions."""
    if db.engine.dialect.name == "sqlite":
        tables, stamped = _sqlite_contents(source)
    else:
        tables, stamped = _pg_contents(db, source)
    if missing := REQUIRED_TABLES - tables:
        raise BackupError(
            f"{source.name} is not a backup of this product: it has no "
            f"{', '.join(sorted(missing))} table"
        )
    if stamped is not None and set(stamped) != set(revisions):
        raise BackupError(
            f"{source.name} is a backup of another version of the schema ({', '.join(stamped)}"
            f"; this product is at {', '.join(revisions)}): restore it with the version that "
            "made it"
        )


def _sqlite_contents(source: Path) -> tuple[set[str], list[str] | None]:
    with _sqlite_errors(), sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db:
        if backup_db.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise BackupError(f"{source} is not a sound SQLite backup")
        tables = {row[0] for row in backup_db.execute("SELECT name FROM sqlite_master")}
        stamped = None
        if "alembic_version" in tables:
            stamped = [r[0] for r in backup_db.execute("SELECT version_num FROM alembic_version")]
    return tables, stamped


def _pg_contents(db: Database, source: Path) -> tuple[set[str], list[str] | None]:
    """Tables from the archive's list (pg_restore --list); the revisions from its data."""
    _url, env = _libpq(db)
    listing = _run(["pg_restore", "--list", str(source)], env)
    tables = set(re.findall(r"TABLE DATA \S+ (\w+) ", listing))
    data = _run(["pg_restore", "--data-only", "--table=alembic_version", "--file=-",
                 str(source)], env)  # fmt: skip
    stamped = re.findall(r"^([0-9a-z_]+)$", data.split("FROM stdin;", 1)[-1].split("\\.")[0], re.M)
    return tables, stamped or None


@contextmanager
def _sqlite_errors() -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise BackupError(f"SQLite: {exc}") from None


def _run(command: list[str], env: dict[str, str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False, env=env)
    except FileNotFoundError:
        raise BackupError(f"{command[0]} is not installed: install the PostgreSQL client") from None
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[:500]}")
    return done.stdout
