"""Users and tokens: creating them, checking a password, finding a token's holder. Services
flush, never commit."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.auth.models import ApiToken, Role, User
from facilities.core.errors import Conflict, NotFound, RuleViolation
from facilities.core.orm import utcnow

TOKEN_PREFIX = "nia_"
_hasher = PasswordHasher()


def token_digest(token: str) -> str:
    """Tokens are 256 random bits: a plain SHA-256 is enough (no need for a slow hash)."""
    return hashlib.sha256(token.encode()).hexdigest()


def create_user(session: Session, name: str, role: Role, password: str) -> User:
    if session.scalar(select(User.id).where(User.name == name)) is not None:
        raise Conflict(f"a user named '{name}' already exists")
    if len(password) < 10:
        raise RuleViolation("the password must have at least 10 characters")
    user = User(name=name, role=role.value, password_hash=_hasher.hash(password))
    session.add(user)
    session.flush()
    return user


def check_password(session: Session, name: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        _hasher.hash(password)  # spend the same time whether or not the name exists
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


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
