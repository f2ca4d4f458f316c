"""Daily snapshots of the headline figures, one per day, so trends can be drawn."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.core.paging import Paged, paginate
from facilities.jobs.models import Snapshot

SnapshotPart = Callable[[Session, date], dict[str, Any]]
"""One domain's headline figures on a date, as plain JSON-able data."""


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


def snapshots_between(
    session: Session, start: date | None, end: date | None, *, limit: int, offset: int
) -> Paged[Snapshot]:
    query = select(Snapshot).order_by(Snapshot.as_of)
    if start:
        query = query.where(Snapshot.as_of >= start)
    if end:
        query = query.where(Snapshot.as_of <= end)
    return paginate(session, query, limit=limit, offset=offset)
