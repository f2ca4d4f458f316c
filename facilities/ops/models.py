"""What operations keep in the database: which domain seeds it holds (or was asked to leave
empty), and the agency whose register it is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, String, false
from sqlalchemy.orm import Mapped, mapped_column

from facilities.core.orm import AuditColumns, Base, UTCDateTime, utcnow


class SeedState(Base):
    __tablename__ = "seed_state"

    domain: Mapped[str] = mapped_column(String(40), primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    left_empty: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """`facilities init --empty`: the domain's seed is not loaded, now or by a later init."""


class Agency(AuditColumns, Base):
    """The agency whose register this is (one row): its name on every page, report and file."""

    __tablename__ = "agency"

    name_zh: Mapped[str] = mapped_column(String(100))
    name: Mapped[str] = mapped_column(String(200))
    short_name_zh: Mapped[str] = mapped_column(String(20))
    short_name: Mapped[str] = mapped_column(String(40))
