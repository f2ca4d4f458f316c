"""Liveness: the one path that needs no login."""

from __future__ import annotations

from sqlalchemy import text

from facilities.core.dependencies import DbSession
from facilities.core.http import PUBLIC, get


@get("/health", sync_to_thread=True, tags=["health"], opt={PUBLIC: True})
def health(session: DbSession) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
