"""Cached answers for the hot read paths, correct across processes: an answer is served only
while the data has not changed since it was computed (see `facilities.core.versions`), so a
write anywhere, by any process, is seen by the next read everywhere."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

import anyio

from facilities.core.versions import Watcher

T = TypeVar("T")


class AnswerCache:
    """Encoded answers (bytes, or a tuple holding them) by key, each kept with the watcher's
    count it was computed under; at most `size` of them, the least recently used going first.
    A hit costs no session and no thread hop."""

    def __init__(self, watcher: Watcher, size: int = 512) -> None:
        self.watcher = watcher
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def version(self) -> int:
        return self.watcher.current()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

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


class Fresh(Generic[T]):
    """A value read from the database again only once the data has changed (in any process),
    its attributes read through: a page global such as the agency's names costs no statement
    while nothing changes, and shows a change at the next page."""

    def __init__(self, watcher: Watcher, read: Callable[[], T]) -> None:
        self._watcher = watcher
        self._read = read
        self._held: tuple[int, T] | None = None
        self._lock = threading.Lock()

    def get(self) -> T:
        version = self._watcher.current()
        held = self._held
        if held is None or held[0] != version:
            with self._lock:
                held = (version, self._read())
                self._held = held
        return held[1]

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.get(), name)
