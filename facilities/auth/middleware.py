"""Authentication (bearer tokens for API clients, a session cookie for people in a browser),
the role guard, and the key that seals CSRF tokens."""

from __future__ import annotations

import os
import re
import secrets
import time
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import anyio
from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, PermissionDeniedException
from litestar.handlers import BaseRouteHandler
from litestar.middleware import AbstractAuthenticationMiddleware, AuthenticationResult

from facilities.auth.models import Role
from facilities.auth.services import session_holder, token_digest, token_holder
from facilities.core.db import Database
from facilities.core.http import ACCESS, PUBLIC, SAFE_METHODS
from facilities.core.orm import utcnow
from facilities.core.settings import Settings, SettingsError

ALLOWED = {
    "read": {Role.admin, Role.staff, Role.executive, Role.liaison},
    "executive": {Role.admin, Role.staff, Role.executive},
    "write": {Role.admin, Role.staff},
    "admin": {Role.admin},
}
TOKEN_CACHE_SECONDS = 30.0
"""A revoked token stops working in every process within this many seconds."""
TOKEN_CACHE_SIZE = 1024
"""Live tokens kept per process; more than a deployment has, so each is looked up once in
TOKEN_CACHE_SECONDS."""
SESSION_COOKIE = "nia_session"
LOGIN_HINT = (
    "Log in: API clients send 'Authorization: Bearer <token>' (an admin creates one with "
    "`facilities tokens create NAME --role ROLE`); people log in at /login."
)


@dataclass(frozen=True)
class Principal:
    name: str
    role: str
    via: str
    """"token" or "session"."""

    @property
    def actor(self) -> str:
        return f"{'token' if self.via == 'token' else 'user'}:{self.name}"


class TokenCache:
    """Live tokens by digest, each kept for TOKEN_CACHE_SECONDS, so most requests need no
    database round trip. At most `size` of them, the least recently used leaving first; an
    unknown or revoked token is never kept, so a stream of made-up tokens cannot grow the cache
    or push the live ones out."""

    def __init__(self, db: Database, size: int = TOKEN_CACHE_SIZE) -> None:
        self.db = db
        self.size = size
        self.entries: OrderedDict[str, tuple[float, tuple[str, str]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self.entries)

    def _lookup(self, token: str) -> tuple[str, str] | None:
        with self.db.session() as session:
            return token_holder(session, token)

    def live_role(self, token: str) -> str | None:
        """The role of a token looked up less than TOKEN_CACHE_SECONDS ago, with no round trip
        and nothing moved; None for any other."""
        cached = self.entries.get(token_digest(token))
        return cached[1][1] if cached and cached[0] > time.monotonic() else None

    async def holder(self, token: str) -> tuple[str, str] | None:
        """Runs on the event loop only: the entries are never touched from another thread."""
        key = token_digest(token)
        now = time.monotonic()
        cached = self.entries.get(key)
        if cached and cached[0] > now:
            self.entries.move_to_end(key)
            return cached[1]
        holder = await anyio.to_thread.run_sync(self._lookup, token)
        if holder is None:
            self.entries.pop(key, None)
            return None
        self.entries[key] = (now + TOKEN_CACHE_SECONDS, holder)  # read after `now`: never staler
        self.entries.move_to_end(key)
        while len(self.entries) > self.size:
            self.entries.popitem(last=False)
        return holder


def unauthorized(detail: str) -> NotAuthorizedException:
    return NotAuthorizedException(detail, headers={"WWW-Authenticate": 'Bearer realm="facilities"'})


def _session_holder(db: Database, session_id: str) -> tuple[str, str] | None:
    with db.session() as session:
        return session_holder(session, session_id, utcnow())


class AuthenticationMiddleware(AbstractAuthenticationMiddleware):
    """Who is asking, and whether their role may do what they ask (the role check is here, on
    the event loop, rather than a Litestar guard: a sync guard costs a thread hop and a copy of
    the route handler on every request)."""

    async def authenticate_request(self, connection: ASGIConnection) -> AuthenticationResult:
        result = await self.identify(connection)
        check_role(result.user, connection.scope["method"], connection.scope["route_handler"])
        return result

    async def identify(self, connection: ASGIConnection) -> AuthenticationResult:
        header = connection.headers.get("authorization")
        if header:
            scheme, _, token = header.partition(" ")
            if scheme.lower() != "bearer" or not token.strip():
                raise unauthorized("Send the token as 'Authorization: Bearer <token>'.")
            holder = await connection.app.state.tokens.holder(token.strip())
            if holder is None:
                raise unauthorized("The bearer token is unknown or revoked. " + LOGIN_HINT)
            return AuthenticationResult(Principal(*holder, via="token"), token)
        session_id = connection.cookies.get(SESSION_COOKIE)
        if session_id:
            # The session and its user's role, read fresh on every request: no cache.
            holder = await anyio.to_thread.run_sync(
                _session_holder, connection.app.state.db, session_id
            )
            if holder is None:
                raise unauthorized("The session has ended: log in again at /login.")
            is_api = connection.scope["path"].startswith("/api/")
            if is_api and connection.scope["method"] not in SAFE_METHODS:
                raise unauthorized(
                    "Changes through the API need a bearer token, not a browser session."
                )
            return AuthenticationResult(Principal(*holder, via="session"), session_id)
        raise unauthorized(LOGIN_HINT)


def check_role(principal: Principal, method: str, handler: BaseRouteHandler) -> None:
    if handler.opt.get(PUBLIC) or method == "OPTIONS":
        return
    access = handler.opt.get(ACCESS) or ("read" if method in SAFE_METHODS else "write")
    if not has_access(principal.role, access):
        raise PermissionDeniedException(
            f"The {principal.role} role may not do this ({access} access is for "
            f"{', '.join(sorted(ALLOWED[access]))}). Nothing was changed."
        )


def has_access(role: str | None, access: str) -> bool:
    return role in ALLOWED[access]


def session_secret(settings: Settings) -> bytes:
    """The key that seals CSRF tokens: FACILITIES_SECRET_KEY (64 hex digits; every process of
    one deployment needs the same), else one made once and kept in the data directory."""
    if settings.secret_key:
        return bytes.fromhex(settings.secret_key)
    path = Path(settings.data_dir) / "secret_key"
    if not path.exists():
        _create_once(path, secrets.token_hex(32) + "\n")
    text = path.read_text().strip()
    if not re.fullmatch(r"[0-9a-fA-F]{64}", text):
        raise SettingsError(
            f"{path} does not hold a key of 64 hex digits: delete it (a new one is made) or set "
            "FACILITIES_SECRET_KEY"
        )
    return bytes.fromhex(text)


def _create_once(path: Path, content: str) -> None:
    """Write `content` to `path` unless it exists, atomically: the whole file is written under a
    name of its own, then linked to `path`, which fails if another process linked first. Every
    process then reads the one file that won; none ever sees it empty or half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink(missing_ok=True)


def may(connection: ASGIConnection, access: str) -> bool:
    """Whether the connection's user has this access (read, executive, write, admin)."""
    user = connection.scope.get("user")
    return user is not None and has_access(user.role, access)
