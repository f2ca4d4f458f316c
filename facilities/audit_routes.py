"""Reading the audit trail. There is no route that changes or deletes it."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

import msgspec
from litestar import Router
from litestar.params import FromQuery, QueryParameter
from sqlalchemy import func, select

from facilities.audit import AuditEntry
from facilities.dependencies import DbSession
from facilities.http import get
from facilities.security import ACCESS


class AuditEntryOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class AuditPage(msgspec.Struct):
    items: list[AuditEntryOut]
    total: int


@get("/audit", sync_to_thread=True, opt={ACCESS: "executive"})
def read_audit(
    session: DbSession,
    entity: FromQuery[str | None] = None,
    id: Annotated[str | None, QueryParameter(description="The entity's code or id")] = None,
    limit: Annotated[int, QueryParameter(ge=1, le=1000)] = 100,
    offset: Annotated[int, QueryParameter(ge=0, le=1_000_000)] = 0,
) -> AuditPage:
    query = select(AuditEntry)
    if entity:
        query = query.where(AuditEntry.entity == entity)
    if id:
        query = query.where(AuditEntry.entity_id == id)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.scalars(query.order_by(AuditEntry.id.desc()).limit(limit).offset(offset))
    items = [
        AuditEntryOut(r.id, r.at, r.actor, r.entity, r.entity_id, r.action, r.before, r.after)
        for r in rows
    ]
    return AuditPage(items=items, total=total)


router = Router(path="/api/v1", route_handlers=[read_audit], tags=["audit"])
