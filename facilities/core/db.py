"""The database: engine, session factory and units of work.

Nothing here runs at import time: `Database(settings)` is built by the app factory,
the CLI and the jobs, each from its own settings.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from facilities.core.errors import NotFound
from facilities.core.settings import Settings
from facilities.core.versions import BUMP, track_changes

T = TypeVar("T")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str) -> Engine:
    if not is_sqlite(url):
        return create_engine(url, pool_pre_ping=True)
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": 30}, pool_size=20, max_overflow=20
    )
    event.listen(engine, "connect", _sqlite_pragmas)
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_begin(connection) -> None:
    """SQLAlchemy's recipe for real transactions on pysqlite: the driver begins none itself."""
    if connection.get_execution_options().get("isolation_level") != "AUTOCOMMIT":
        connection.exec_driver_sql("BEGIN")


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


WRITE_LOCK = BUMP
WRITER_WAIT_SECONDS = 30


class WriterQueue:
    """SQLite's write lock, taken by a unit of work that will write (session.info["write"])
    with its first statement, so concurrent writers queue up instead of one failing on a stale
    snapshot. The writers of one process first wait here, in turn: SQLite's own busy handler
    polls with sleeps of up to 100 ms and favours no one, a tail of a second at 16 writers.
    PostgreSQL takes row locks instead (SELECT ... FOR UPDATE)."""

    def __init__(self) -> None:
        self._turn = threading.Lock()

    def take(self, session: Session, transaction, connection) -> None:
        if not session.info.get("write") or session.info.get("queued"):
            return
        if not self._turn.acquire(timeout=WRITER_WAIT_SECONDS):
            raise OperationalError(WRITE_LOCK, {}, sqlite3.OperationalError("database is locked"))
        session.info["queued"] = True
        connection.exec_driver_sql(WRITE_LOCK)

    def give_back(self, session: Session, transaction) -> None:
        if transaction.parent is None and session.info.pop("queued", False):
            self._turn.release()


class Database:
    def __init__(self, settings: Settings) -> None:
        self.url = settings.sqlalchemy_url
        self.engine = make_engine(self.url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        track_changes(self.sessionmaker)
        if is_sqlite(self.url):
            writers = WriterQueue()
            event.listen(self.sessionmaker, "after_begin", writers.take)
            event.listen(self.sessionmaker, "after_transaction_end", writers.give_back)

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One unit of work: commits if the block succeeds, rolls back if it raises. One that
        will write says so, to take SQLite's write lock first (see WriterQueue)."""
        session = self.sessionmaker(info={"write": write})
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def find_one(
    session: Session, model: type[T], *where: Any, for_update: bool = False, missing: str
) -> T:
    """The one row of `model` that matches, locked for update if asked (its own row only, not
    the rows it joins); NotFound with `missing` if there is none."""
    query = select(model).where(*where)
    row = session.scalar(query.with_for_update(of=model) if for_update else query)
    if row is None:
        raise NotFound(missing)
    return row
