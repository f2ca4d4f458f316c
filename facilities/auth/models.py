"""Who may use the product: people (password, argon2) and API clients (bearer tokens, stored
as SHA-256 hashes), each with one role; people's sessions, and the login attempts the rate limit
counts."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from facilities.core.orm import AuditColumns, Base, UTCDateTime


class Role(StrEnum):
    admin = "admin"
    staff = "staff"
    executive = "executive"
    liaison = "liaison"


class User(AuditColumns, Base):
    __tablename__ = "users"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    disabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """A disabled user cannot log in and has no session."""


class UserSession(AuditColumns, Base):
    """A person logged in: the cookie holds a random id, this table its SHA-256 (a copy of the
    table opens no session). Read on every request, so logging out, disabling a user or
    changing their role or password takes effect on the next request, in every process."""

    __tablename__ = "user_sessions"

    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class LoginAttempt(Base):
    """A login attempt that failed or is being checked, kept for the rate limit's window (a
    right password removes its own; older rows are deleted as new attempts come)."""

    __tablename__ = "login_attempts"
    __table_args__ = (
        Index("ix_login_attempts_client_at", "client", "at"),
        Index("ix_login_attempts_name_at", "name", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    client: Mapped[str] = mapped_column(String(64))
    """The client's address as the socket saw it (or as a trusted proxy reported it)."""
    name: Mapped[str] = mapped_column(String(100))
    """The user name tried, whether or not a user has it."""


class ApiToken(AuditColumns, Base):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
