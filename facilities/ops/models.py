"""What operations keep in the database: which domain seeds it holds."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from facilities.core.orm import Base, UTCDateTime, utcnow


class SeedState(Base):
    __tablename__ = "seed_state"

    domain: Mapped[str] = mapped_column(String(40), primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
