"""The database: engine, session factory and units of work.

Nothing here runs at import time: `Database(settings)` is built by the app factory,
the CLI and the jobs, each from its own settings.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from facilities.core.errors import NotFound
from facilities.core.settings import Settings
from facilities.core.versions import track_changes

T = TypeVar("T")


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


STATEMENT_TIMEOUT_MS = 30_000
LOCK_TIMEOUT_MS = 10_000
"""PostgreSQL gives up a statement or a wait for a lock after these: a stuck database answers
503 with Retry-After instead of holding requests."""


def make_engine(url: str) -> Engine:
    if not is_sqlite(url):
        options = f"-c statement_timeout={STATEMENT_TIMEOUT_MS} -c lock_timeout={LOCK_TIMEOUT_MS}"
        return create_engine(url, pool_pre_ping=True, connect_args={"options": options})
    path = url.removeprefix("sqlite:///")
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_SECONDS},
        pool_size=20, max_overflow=20,
    )  # fmt: skip
    event.listen(engine, "connect", _sqlite_pragmas)
    writers = WriterQueue()
    event.listen(engine, "begin", writers.begin)
    event.listen(engine, "commit", writers.end)
    event.listen(engine, "rollback", writers.end)
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # SQLAlchemy's "begin" event emits BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


SQLITE_BUSY_SECONDS = 10
WRITER_WAIT_SECONDS = 10


class WriterQueue:
    """SQLite lets one writer at a time. A unit of work that will write (a session bound to the
    engine with the `writer` option) begins IMMEDIATE, taking the write lock with its BEGIN, so
    concurrent writers queue up instead of one failing on a stale snapshot. The writers of one
    process first wait here, in turn: SQLite's own busy handler polls with sleeps of up to
    100 ms and favours no one. PostgreSQL takes row locks instead (SELECT ... FOR UPDATE)."""

    def __init__(self) -> None:
        self._turn = threading.Lock()

    def begin(self, connection) -> None:
        """SQLAlchemy's recipe for real transactions on pysqlite: the driver begins none."""
        options = connection.get_execution_options()
        if options.get("isolation_level") == "AUTOCOMMIT":
            return
        if not options.get("writer"):
            connection.exec_driver_sql("BEGIN")
            return
        if not self._turn.acquire(timeout=WRITER_WAIT_SECONDS):
            raise OperationalError(
                "BEGIN IMMEDIATE", {}, sqlite3.OperationalError("database is locked")
            )
        connection.info["turn"] = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            self.end(connection)
            raise

    def end(self, connection) -> None:
        if connection.info.pop("turn", False):
            self._turn.release()


class Database:
    def __init__(self, settings: Settings) -> None:
        self.url = settings.sqlalchemy_url
        self.engine = make_engine(self.url)
        self.writer = (
            self.engine.execution_options(writer=True) if is_sqlite(self.url) else self.engine
        )
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.on_commit: list[Callable[[], None]] = []
        """Called after each commit that changed something (the process's change watchers)."""
        track_changes(self.sessionmaker, self.engine.dialect.name, self.on_commit)

    def new_session(self, write: bool) -> Session:
        """A session; one that will write says so, to take SQLite's write lock first."""
        return self.sessionmaker(bind=self.writer if write else self.engine, info={"write": write})

    @contextmanager
    def session(self, write: bool = False) -> Iterator[Session]:
        """One unit of work: commits if the block succeeds, rolls back if it raises. One that
        will write says so, to take SQLite's write lock first (see WriterQueue)."""
        session = self.new_session(write)
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
