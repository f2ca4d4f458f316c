from __future__ import annotations

from sqlalchemy import text

from facilities.dependencies import DbSession
from facilities.http import get
from facilities.security import PUBLIC


@get("/health", sync_to_thread=True, tags=["health"], opt={PUBLIC: True})
def health(session: DbSession) -> dict[str, str]:
    session.execute(text("SELECT 1"))
    return {"status": "ok"}
