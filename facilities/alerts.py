"""Alerts: raised once by the nightly job, acknowledged by staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Date, String, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from facilities import audit
from facilities.db import AuditColumns, Base, UTCDateTime, utcnow
from facilities.errors import NotFound
from facilities.settings import Settings


@dataclass(frozen=True)
class AlertCandidate:
    kind: str
    key: str
    """Names the condition exactly (e.g. lease, site and date): a key is raised only once."""
    entity: str
    entity_id: str
    message: str


AlertSource = Callable[[Session, date, Settings], list[AlertCandidate]]


class Alert(AuditColumns, Base):
    __tablename__ = "alerts"

    kind: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(String(500))
    raised_on: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))


def raise_alerts(
    session: Session, as_of: date, sources: list[AlertSource], settings: Settings
) -> list[Alert]:
    """Raise every candidate whose key has not been raised before; return the new ones."""
    candidates = {c.key: c for source in sources for c in source(session, as_of, settings)}
    known = set(session.scalars(select(Alert.key).where(Alert.key.in_(list(candidates)))))
    new = [
        Alert(
            kind=c.kind,
            key=c.key,
            entity=c.entity,
            entity_id=c.entity_id,
            message=c.message,
            raised_on=as_of,
        )  # fmt: skip
        for key, c in candidates.items()
        if key not in known
    ]
    session.add_all(new)
    session.flush()
    return new


def list_alerts(session: Session, open_only: bool) -> list[Alert]:
    query = select(Alert).order_by(Alert.raised_on.desc(), Alert.id.desc())
    if open_only:
        query = query.where(Alert.acknowledged_at.is_(None))
    return list(session.scalars(query))


def acknowledge(session: Session, alert_id: int, actor: str) -> Alert:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"No alert has the id {alert_id}.")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by = actor
        session.flush()
        audit.record(
            session, actor=actor, entity="alert", entity_id=str(alert.id), action="acknowledge",
            before={"acknowledged_at": None}, after={"acknowledged_at": alert.acknowledged_at},
        )  # fmt: skip
    return alert
