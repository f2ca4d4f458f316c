"""Writing to the audit trail (every domain's services do, in their own unit of work) and
reading it. Nothing changes or deletes an entry."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from facilities.audit.models import AuditEntry
from facilities.core.paging import Paged, paginate


def jsonable(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def record(
    session: Session,
    *,
    actor: str,
    entity: str,
    entity_id: str,
    action: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> AuditEntry:
    entry = AuditEntry(
        actor=actor,
        entity=entity,
        entity_id=entity_id,
        action=action,
        before={k: jsonable(v) for k, v in before.items()} if before is not None else None,
        after={k: jsonable(v) for k, v in after.items()} if after is not None else None,
    )
    session.add(entry)
    return entry


def record_changes(
    session: Session,
    *,
    actor: str,
    entity: str,
    entity_id: str,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditEntry | None:
    """An "update" entry with only the fields that changed; none if nothing did."""
    changed = [k for k in after if after[k] != before.get(k)]
    if not changed:
        return None
    return record(
        session, actor=actor, entity=entity, entity_id=entity_id, action="update",
        before={k: before.get(k) for k in changed}, after={k: after[k] for k in changed},
    )  # fmt: skip


def entries(
    session: Session, *, entity: str | None, entity_id: str | None, limit: int, offset: int
) -> Paged[AuditEntry]:
    """The trail, newest first, optionally of one entity or one record."""
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if entity_id:
        query = query.where(AuditEntry.entity_id == entity_id)
    return paginate(session, query.order_by(AuditEntry.id.desc()), limit=limit, offset=offset)


def history(
    session: Session, entity: str, entity_id: str, action: str | None = None
) -> Sequence[AuditEntry]:
    """Every entry of one record (or those of one action), oldest first."""
    query = select(AuditEntry).where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
    if action:
        query = query.where(AuditEntry.action == action)
    return session.scalars(query.order_by(AuditEntry.id)).all()
