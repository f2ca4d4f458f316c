"""Alerts: raised once by the nightly job, acknowledged by staff."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.audit.services import record
from facilities.core.concurrency import check_if_match
from facilities.core.db import find_one
from facilities.core.orm import utcnow
from facilities.core.paging import Paged, paginate
from facilities.core.settings import Settings
from facilities.jobs.models import Alert


@dataclass(frozen=True)
class AlertCandidate:
    kind: str
    key: str
    """Names the condition exactly (e.g. lease, site and date): a key is raised only once."""
    entity: str
    entity_id: str
    message: str


AlertSource = Callable[[Session, date, Settings], list[AlertCandidate]]


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


def list_alerts(session: Session, *, open_only: bool, limit: int, offset: int) -> Paged[Alert]:
    query = select(Alert).order_by(Alert.raised_on.desc(), Alert.id.desc())
    if open_only:
        query = query.where(Alert.acknowledged_at.is_(None))
    return paginate(session, query, limit=limit, offset=offset)


def acknowledge(session: Session, alert_id: int, if_match: str | None, actor: str) -> Alert:
    """Acknowledge an alert once: the row is locked and If-Match checked, so two people
    acknowledging at once write one entry; acknowledging it again changes nothing."""
    alert = find_one(session, Alert, Alert.id == alert_id, for_update=True,
                     missing=f"No alert has the id {alert_id}.")  # fmt: skip
    check_if_match(alert, if_match, "alert", "/api/v1/alerts")
    if alert.acknowledged_at is None:
        alert.acknowledged_at = utcnow()
        alert.acknowledged_by = actor
        session.flush()
        record(
            session, actor=actor, entity="alert", entity_id=str(alert.id), action="acknowledge",
            before={"acknowledged_at": None}, after={"acknowledged_at": alert.acknowledged_at},
        )  # fmt: skip
    return alert
