"""Reading the audit trail. There is no route that changes or deletes it."""

from __future__ import annotations

from typing import Annotated

from litestar import Router
from litestar.params import FromQuery, QueryParameter

from facilities.audit import services
from facilities.audit.schemas import AuditEntryOut, entry_out
from facilities.core.dependencies import DbSession
from facilities.core.http import ACCESS, get
from facilities.core.paging import Limit, Offset, Page


@get("/audit", sync_to_thread=True, opt={ACCESS: "executive"})
def read_audit(
    session: DbSession,
    entity: FromQuery[str | None] = None,
    id: Annotated[str | None, QueryParameter(description="The entity's code or id")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[AuditEntryOut]:
    found = services.entries(session, entity=entity, entity_id=id, limit=limit, offset=offset)
    return found.map(entry_out)


router = Router(path="/api/v1", route_handlers=[read_audit], tags=["audit"])
