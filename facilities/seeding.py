"""Which domain seeds a database holds, so `facilities init` loads each one once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from sqlalchemy import String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from facilities.db import Base, UTCDateTime, utcnow

SeedLoader = Callable[[Session, Path], str]
"""Loads one domain's seed files from a folder; returns a line saying what it loaded."""


class SeedState(Base):
    __tablename__ = "seed_state"

    domain: Mapped[str] = mapped_column(String(40), primary_key=True)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


def load_missing(session: Session, seed_dir: Path, loaders: dict[str, SeedLoader]) -> list[str]:
    """Load each domain's seed that this database has not loaded yet, in the given order."""
    done = set(session.scalars(select(SeedState.domain)))
    lines = []
    for domain, loader in loaders.items():
        if domain in done:
            lines.append(f"{domain}: already loaded")
            continue
        lines.append(f"{domain}: {loader(session, seed_dir)}")
        session.add(SeedState(domain=domain))
        session.flush()
    return lines
