"""Daily snapshots of the headline figures, one per day, so trends can be drawn."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import JSON, Date, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from facilities.db import AuditColumns, Base

SnapshotPart = Callable[[Session, date], dict[str, Any]]
"""One domain's headline figures on a date, as plain JSON-able data."""


class Snapshot(AuditColumns, Base):
    __tablename__ = "snapshots"

    as_of: Mapped[date] = mapped_column(Date, unique=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)


def take_snapshot(session: Session, as_of: date, parts: dict[str, SnapshotPart]) -> Snapshot:
    """Record the figures for `as_of`; taking it again that day replaces the day's one."""
    figures = {name: part(session, as_of) for name, part in parts.items()}
    snapshot = session.scalar(select(Snapshot).where(Snapshot.as_of == as_of))
    if snapshot is None:
        snapshot = Snapshot(as_of=as_of, figures=figures)
        session.add(snapshot)
    else:
        snapshot.figures = figures
    session.flush()
    return snapshot


def snapshots_between(session: Session, start: date | None, end: date | None) -> list[Snapshot]:
    query = select(Snapshot).order_by(Snapshot.as_of)
    if start:
        query = query.where(Snapshot.as_of >= start)
    if end:
        query = query.where(Snapshot.as_of <= end)
    return list(session.scalars(query))


def ownership_part(session: Session, as_of: date) -> dict[str, Any]:
    from facilities.services import ownership_summary

    summary = ownership_summary(session, as_of)
    national = {s.ownership: s.count for s in summary.national.shares}
    counties = {
        c.county: {s.ownership: s.count for s in c.breakdown.shares} for c in summary.counties
    }
    return {"total": summary.national.total, "national": national, "counties": counties}
