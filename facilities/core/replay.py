"""A token client's GET of a cached read (a route marked `REPLAY`), answered again with the
bytes the app sent for the same request, while the data and the product's date are unchanged.

It sits in front of the router, where Litestar itself puts CORS: a replayed answer costs no
routing, no middleware, no dependency and no handler, which is what brings the hot reads near
the bare framework. It is as safe as the whole way: only the same path, query and negotiating
headers, only for a bearer token the token cache holds as live (a revoked one stops within the
same TOKEN_CACHE_SECONDS), only if the token's role has the route's access, only answers a 200
without a cookie; anything conditional or new goes the whole way."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import date
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send

from facilities.core.http import ACCESS, REPLAY

NEGOTIATING = (b"accept", b"accept-encoding")
"""Request headers an answer depends on (its format, its compression): part of the key."""
WHOLE_WAY = frozenset({b"if-none-match", b"if-modified-since", b"if-match", b"range", b"cookie"})
"""A request carrying one of these is answered by the app itself."""
MAX_BYTES = 64 * 1024 * 1024
"""Memory the replayed answers may hold in all; the least recently used leave first (a client
inventing query parameters makes new keys, but cannot grow this)."""


@dataclass(frozen=True, slots=True)
class Sent:
    access: str
    start: Message
    body: Message
    size: int


class Answers:
    """Sent answers by key, each with the data version it was computed under, within a budget of
    bytes."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self.held = 0
        self._entries: OrderedDict[Hashable, tuple[int, Sent]] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, key: Hashable, version: int) -> Sent | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry[0] != version:
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def put(self, key: Hashable, version: int, sent: Sent) -> None:
        if sent.size > self.max_bytes // 8:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self.held += sent.size - (old[1].size if old else 0)
            self._entries[key] = (version, sent)
            while self.held > self.max_bytes:
                self.held -= self._entries.popitem(last=False)[1][1].size


class Replay:
    def __init__(
        self,
        app: ASGIApp,
        *,
        version: Callable[[], int],
        today: Callable[[], date],
        role_of: Callable[[str], str | None],
        allowed: Callable[[str | None, str], bool],
    ) -> None:
        """`role_of(token)`: the role of a live token the process already knows, without a
        round trip (None otherwise); `allowed(role, access)`: whether the role has the access."""
        self.app = app
        self.version = version
        self.today = today
        self.role_of = role_of
        self.allowed = allowed
        self.answers = Answers()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        asked = self._replayable(scope)
        if asked is None:
            await self.app(scope, receive, send)
            return
        key, token = asked
        version = self.version()  # before the answer is computed: a write meanwhile outdates it
        sent = self.answers.get(key, version)
        if sent is not None and self.allowed(self.role_of(token), sent.access):
            await send(sent.start)
            await send(sent.body)
            return
        await self._whole_way(scope, receive, send, key, version)

    def _replayable(self, scope: Scope) -> tuple[Hashable, str] | None:
        if scope["type"] != "http" or scope["method"] != "GET":
            return None
        token = None
        negotiated = dict.fromkeys(NEGOTIATING, b"")
        for name, value in scope["headers"]:
            if name in negotiated:
                negotiated[name] = value
            elif name == b"authorization":
                scheme, _, token = value.decode("latin-1").partition(" ")
                if scheme.lower() != "bearer":
                    return None
            elif name in WHOLE_WAY:
                return None
        if not token:
            return None
        key = (scope["path"], scope["query_string"], *negotiated.values(), self.today())
        return key, token.strip()

    async def _whole_way(
        self, scope: Scope, receive: Receive, send: Send, key: Hashable, version: int
    ) -> None:
        messages: list[Message] = []

        async def keep(message: Message) -> None:
            messages.append(message)
            await send(message)

        await self.app(scope, receive, keep)
        handler = scope.get("route_handler")
        if handler is not None and handler.opt.get(REPLAY):
            sent = _sent(messages, handler.opt.get(ACCESS) or "read")
            if sent is not None:
                self.answers.put(key, version, sent)


def _sent(messages: list[Message], access: str) -> Sent | None:
    """The answer as one start and one body message, if it is a 200 that sets no cookie."""
    start, *rest = messages or [{}]
    if start.get("type") != "http.response.start" or start["status"] != 200:
        return None
    if any(name.lower() == b"set-cookie" for name, _ in start.get("headers", [])):
        return None
    if any(m["type"] != "http.response.body" for m in rest):
        return None
    body = b"".join(m.get("body", b"") for m in rest)
    return Sent(access, start, {"type": "http.response.body", "body": body}, len(body))


def in_front(app: Any, **kwargs: Any) -> None:
    """Put a Replay in front of a Litestar app's router (see the module's note)."""
    app.asgi_handler = Replay(app.asgi_handler, **kwargs)
