"""How a process knows the data changed since it computed a cached answer, with no row that
every write must lock and no blocking database call on the event loop.

- SQLite: `PRAGMA data_version`, read on a connection of the watcher's own, changes whenever
  another connection (of this process or any other) commits; reading it takes no lock.
- PostgreSQL: every transaction that writes sends `NOTIFY facilities_changes`, delivered at
  its commit; each process's watcher LISTENs on a connection of its own, in a thread, and
  counts. A commit in this process counts at once, before its answer goes out; one in another
  process counts within milliseconds."""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Callable

import psycopg
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session

log = logging.getLogger(__name__)
CHANNEL = "facilities_changes"


def _note_change(session: Session, *_: object) -> None:
    if session.new or session.dirty or session.deleted:
        session.info["changed"] = True


def _note_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["changed"] = True


def track_changes(session_class: object, dialect: str, on_commit: list[Callable[[], None]]) -> None:
    """Mark every unit of work that writes; on PostgreSQL it notifies the other processes as it
    commits; after its commit the process's own watchers count it (`on_commit`)."""
    event.listen(session_class, "before_flush", _note_change)
    event.listen(session_class, "do_orm_execute", _note_statement)

    def before_commit(session: Session) -> None:
        # a savepoint's release fires this too: notify once, as the whole transaction commits
        if session.in_nested_transaction():
            return
        if dialect == "postgresql" and session.info.get("changed"):
            session.execute(text(f"NOTIFY {CHANNEL}"))

    def after_commit(session: Session) -> None:
        if session.info.pop("changed", False):
            for hook in on_commit:
                hook()

    def after_rollback(session: Session) -> None:
        session.info.pop("changed", None)

    event.listen(session_class, "before_commit", before_commit)
    event.listen(session_class, "after_commit", after_commit)
    event.listen(session_class, "after_soft_rollback", lambda s, _t: after_rollback(s))


class Watcher:
    """A number that changes whenever the data may have: `current()` costs no round trip on
    PostgreSQL and one lock-free pragma on SQLite."""

    def __init__(self) -> None:
        self._local = 0
        self._lock = threading.Lock()

    def bump(self) -> None:
        with self._lock:
            self._local += 1

    def current(self) -> int:
        return self._local

    def close(self) -> None:
        pass


class SQLiteWatcher(Watcher):
    def __init__(self, path: str) -> None:
        super().__init__()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._read = threading.Lock()

    def current(self) -> int:
        with self._read:
            external = self._connection.execute("PRAGMA data_version").fetchone()[0]
        return (external << 32) + self._local

    def close(self) -> None:
        self._connection.close()


class PostgresWatcher(Watcher):
    """LISTENs in a daemon thread; a lost connection counts as a change (nothing known is
    trusted) and is opened again."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self._url = make_url(url).set(drivername="postgresql").render_as_string(False)
        self._stop = threading.Event()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._listen, name="change-watcher", daemon=True)
        self._thread.start()
        self._ready.wait(5)

    def _listen(self) -> None:
        while not self._stop.is_set():
            try:
                with psycopg.connect(self._url, autocommit=True) as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.bump()
                    self._ready.set()
                    while not self._stop.is_set():
                        for _ in connection.notifies(timeout=1.0):
                            self.bump()
            except Exception:
                log.warning("change watcher lost its connection; listening again", exc_info=True)
                self.bump()
                self._stop.wait(1.0)

    def close(self) -> None:
        self._stop.set()


def watcher_for(engine: Engine) -> Watcher:
    if engine.dialect.name == "sqlite":
        return SQLiteWatcher(engine.url.database or ":memory:")
    return PostgresWatcher(engine.url.render_as_string(hide_password=False))
