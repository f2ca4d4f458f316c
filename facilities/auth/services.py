"""Users, tokens and sessions: creating them, checking a password, finding who holds a token or
a session, ending sessions, the login attempts the rate limit counts, and an admin's changes to
a user (each audited). Services flush, never commit.

Sessions and login attempts are written with plain statements, not through the ORM: they are
not data of the register, and the ORM's flush would bump the data version that cached answers
are checked against. (On SQLite every unit of work that writes still bumps it, as the way it
takes the write lock: see `core/db.py: WriterQueue`.)"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ColumnElement, delete, func, insert, select
from sqlalchemy.orm import Session

from facilities.audit.services import record
from facilities.auth.models import ApiToken, LoginAttempt, Role, User, UserSession
from facilities.core.db import find_one
from facilities.core.errors import Conflict, DomainError, NotFound, RuleViolation
from facilities.core.orm import utcnow

TOKEN_PREFIX = "nia_"
SESSION_SECONDS = 8 * 3600
"""A session lasts a working day from the login."""
SESSION_ID = re.compile(r"[A-Za-z0-9_-]{43}")
"""What a session id looks like (32 random bytes, URL-safe base64): anything else is not looked
up."""
MIN_PASSWORD = 10
_hasher = PasswordHasher()


class TooManyAttempts(DomainError):
    status_code = 429
    title = "Too many login attempts"

    def __init__(self, retry_after: int) -> None:
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(
            f"Too many failed logins from this address or for this user name: try again in "
            f"{minutes} minute{'s' if minutes > 1 else ''}."
        )
        self.retry_after = retry_after
        self.minutes = minutes


def token_digest(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough (no need for a slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def _password_hash(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise RuleViolation(f"the password must have at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def create_user(session: Session, name: str, role: Role, password: str) -> User:
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"a user named '{name}' already exists")
    user = User(name=name, role=role.value, password_hash=_password_hash(password))
    session.add(user)
    session.flush()
    return user


def get_user(session: Session, name: str) -> User:
    return find_one(session, User, User.name == name, missing=f"no user is named '{name}'")


def check_password(session: Session, name: str, password: str) -> User | None:
    """The user with this name and password, if they may log in (not disabled). Reads only."""
    user = None if "\x00" in name else session.scalar(select(User).where(User.name == name))
    if user is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    return user if user.disabled_at is None else None


def open_session(session: Session, user_id: int, password: str, now: datetime) -> str | None:
    """A new session for a user whose password was just checked: its id, for the cookie (only
    its hash is stored); None if the user was disabled meanwhile. Expired sessions of anyone
    are deleted on the way."""
    user = session.get(User, user_id)
    if user is None or user.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.execute(delete(UserSession).where(UserSession.expires_at <= now))
    token = secrets.token_urlsafe(32)
    session.execute(
        insert(UserSession).values(
            token_sha256=token_digest(token), user_id=user.id,
            expires_at=now + timedelta(seconds=SESSION_SECONDS),
        )
    )  # fmt: skip
    return token


def session_holder(session: Session, token: str, now: datetime) -> tuple[str, str] | None:
    """(name, role) of the live session with this id, its user not disabled, or None: one
    indexed lookup, made on every request that comes with a session cookie."""
    if not SESSION_ID.fullmatch(token):
        return None
    row = session.execute(
        select(User.name, User.role)
        .join(UserSession, UserSession.user_id == User.id)
        .where(
            UserSession.token_sha256 == token_digest(token), UserSession.expires_at > now,
            User.disabled_at.is_(None),
        )
    ).first()  # fmt: skip
    return (row.name, row.role) if row else None


def end_session(session: Session, token: str) -> None:
    """Logging out: the session ends in every process, whoever holds a copy of its cookie."""
    session.execute(delete(UserSession).where(UserSession.token_sha256 == token_digest(token)))


def end_sessions(session: Session, user: User) -> int:
    """Every session of the user; how many there were."""
    ended = session.execute(delete(UserSession).where(UserSession.user_id == user.id))
    return ended.rowcount


def disable_user(session: Session, name: str, *, actor: str) -> int:
    """The user can no longer log in; their sessions end. How many sessions ended."""
    user = get_user(session, name)
    if user.disabled_at is None:
        user.disabled_at = utcnow()
        record(session, actor=actor, entity="user", entity_id=name, action="disable",
               before={"disabled_at": None}, after={"disabled_at": user.disabled_at})  # fmt: skip
    return end_sessions(session, user)


def enable_user(session: Session, name: str, *, actor: str) -> None:
    user = get_user(session, name)
    if user.disabled_at is not None:
        record(session, actor=actor, entity="user", entity_id=name, action="enable",
               before={"disabled_at": user.disabled_at}, after={"disabled_at": None})  # fmt: skip
        user.disabled_at = None


def set_role(session: Session, name: str, role: Role, *, actor: str) -> int:
    """The user's new role (read on every request); their sessions end, so that they log in
    again under it. How many sessions ended (none if the role was already this one)."""
    user = get_user(session, name)
    if user.role == role.value:
        return 0
    record(session, actor=actor, entity="user", entity_id=name, action="set_role",
           before={"role": user.role}, after={"role": role.value})  # fmt: skip
    user.role = role.value
    return end_sessions(session, user)


def set_password(session: Session, name: str, password: str, *, actor: str) -> int:
    """A new password (the audit trail says it changed, never what it is); every session of
    the user ends. How many sessions ended."""
    user = get_user(session, name)
    user.password_hash = _password_hash(password)
    record(session, actor=actor, entity="user", entity_id=name, action="set_password",
           before=None, after=None)  # fmt: skip
    return end_sessions(session, user)


def record_attempt(session: Session, client: str, name: str, now: datetime, window: int) -> int:
    """Note a login attempt before its password is checked; attempts older than the window are
    deleted on the way. The new attempt's id."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.at <= now - timedelta(seconds=window)))
    return session.execute(
        insert(LoginAttempt).values(at=now, client=_key(client, 64), name=_key(name, 100))
        .returning(LoginAttempt.id)
    ).scalar_one()  # fmt: skip


def forget_attempt(session: Session, attempt: int) -> None:
    """A right password, or an attempt refused before its password was checked: not counted."""
    session.execute(delete(LoginAttempt).where(LoginAttempt.id == attempt))


def wait_before_trying(
    session: Session, client: str, name: str, now: datetime, *, window: int,
    per_client: int, per_name: int,
) -> int:  # fmt: skip
    """Seconds to wait before this client, or anyone for this name, may try again (0: now):
    the attempts in the window, this one included, beyond the limit of either."""
    since = now - timedelta(seconds=window)
    wait = 0
    for where, limit in (
        (LoginAttempt.client == _key(client, 64), per_client),
        (LoginAttempt.name == _key(name, 100), per_name),
    ):
        count, oldest = _attempts(session, where, since)
        if count > limit and oldest is not None:
            wait = max(wait, math.ceil((oldest - since).total_seconds()), 1)
    return wait


def _key(text: str, length: int) -> str:
    """What an attempt is counted under: the text as sent, cut to its column, a NUL (which no
    name holds, and PostgreSQL does not store) replaced."""
    return text.replace("\x00", "\ufffd")[:length]


def _attempts(
    session: Session, where: ColumnElement[bool], since: datetime
) -> tuple[int, datetime | None]:
    query = select(func.count(), func.min(LoginAttempt.at)).where(where, LoginAttempt.at > since)
    count, oldest = session.execute(query).one()
    return count, oldest


def create_token(session: Session, name: str, role: Role) -> str:
    """A new token; only its hash is stored, so this is the one time it can be read."""
    if session.scalar(select(ApiToken.id).where(ApiToken.name == name)) is not None:
        raise Conflict(f"a token named '{name}' already exists: revoke it or choose another name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    session.add(ApiToken(name=name, role=role.value, token_sha256=token_digest(token)))
    session.flush()
    return token


def revoke_token(session: Session, name: str) -> ApiToken:
    token = session.scalar(select(ApiToken).where(ApiToken.name == name))
    if token is None:
        raise NotFound(f"no token is named '{name}'")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def token_holder(session: Session, token: str) -> tuple[str, str] | None:
    """(name, role) of a live token, or None."""
    row = session.execute(
        select(ApiToken.name, ApiToken.role).where(
            ApiToken.token_sha256 == token_digest(token), ApiToken.revoked_at.is_(None)
        )
    ).first()
    return (row.name, row.role) if row else None


def anyone_can_log_in(session: Session) -> bool:
    return (
        session.scalar(select(User.id).limit(1)) is not None
        or session.scalar(select(ApiToken.id).where(ApiToken.revoked_at.is_(None)).limit(1))
        is not None
    )


def people(session: Session) -> tuple[list[User], list[ApiToken]]:
    """Every user and every token, by name."""
    users = list(session.scalars(select(User).order_by(User.name)))
    return users, list(session.scalars(select(ApiToken).order_by(ApiToken.name)))
