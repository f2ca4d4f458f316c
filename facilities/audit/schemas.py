"""What the audit trail's API answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec

from facilities.audit.models import AuditEntry


class AuditEntryOut(msgspec.Struct):
    id: int
    at: datetime
    actor: str
    entity: str
    entity_id: str
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def entry_out(e: AuditEntry) -> AuditEntryOut:
    return AuditEntryOut(e.id, e.at, e.actor, e.entity, e.entity_id, e.action, e.before, e.after)
