"""Who may use the product: people (password, argon2) and API clients (bearer tokens, stored
as SHA-256 hashes), each with one role."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
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


class ApiToken(AuditColumns, Base):
    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
