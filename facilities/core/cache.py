"""Cached answers for the hot read paths, correct across processes.

Every flush that changes anything bumps one counter row in the database (in the same
transaction); a cached answer is served only while the counter still holds the value it was
computed under. So a read costs one tiny query, and a write anywhere, by any process, is seen
by the next read everywhere."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import anyio
from sqlalchemy import Engine

from facilities.core.versions import VERSION_QUERY


class AnswerCache:
    """Encoded answers (bytes, or a tuple holding them) by key, each kept with the data version
    it was computed under.

    The version is read on a connection of the cache's own per thread, outside any
    transaction, so a hit costs one indexed read and no ORM session."""

    def __init__(self, engine: Engine, size: int = 512) -> None:
        self.engine = engine
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self._local = threading.local()

    def version(self) -> int:
        connection = getattr(self._local, "connection", None)
        try:
            if connection is None:
                connection = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
                self._local.connection = connection
            return connection.exec_driver_sql(VERSION_QUERY).scalar() or 0
        except Exception:
            self._local.connection = None
            if connection is not None:
                connection.invalidate()
            raise

    def close(self) -> None:
        connection = getattr(self._local, "connection", None)
        if connection is not None:
            connection.close()
            self._local.connection = None

    def _lookup(self, key: Hashable, version: int) -> Any:
        with self._lock:
            entry = self._entries.get(key)
            if entry and entry[0] == version:
                self._entries.move_to_end(key)
                return entry[1]
        return None

    def _store(self, key: Hashable, version: int, body: Any) -> None:
        with self._lock:
            self._entries[key] = (version, body)
            self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    async def answer(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        """The cached answer if the data has not changed since; else compute it in a thread."""
        version = self.version()
        body = self._lookup(key, version)
        if body is None:
            body = await anyio.to_thread.run_sync(compute)
            self._store(key, version, body)
        return body
