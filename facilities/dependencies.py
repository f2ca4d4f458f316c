"""What handlers receive: the request's session, the settings, the product's date, the actor."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.orm import Session

from facilities.cache import AnswerCache
from facilities.clock import today
from facilities.db import Database
from facilities.settings import Settings


def provide_session(state: State) -> Iterator[Session]:
    """One session per request: committed when the handler succeeds, rolled back if it raises."""
    db: Database = state.db
    with db.session() as session:
        yield session


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_today(state: State) -> date:
    return today(state.settings)


def provide_cache(state: State) -> AnswerCache:
    return state.cache


def provide_db(state: State) -> Database:
    return state.db


def provide_actor(request: Request) -> str:
    """Who is making the change, as the audit trail names them: user:NAME or token:NAME."""
    return request.user.actor


DEPENDENCIES = {
    "session": Provide(provide_session),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "today": Provide(provide_today, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "cache": Provide(provide_cache, sync_to_thread=False),
    "db": Provide(provide_db, sync_to_thread=False),
}

DbSession = NamedDependency[Session]
AppSettings = NamedDependency[Settings]
Today = NamedDependency[date]
Actor = NamedDependency[str]
Cache = NamedDependency[AnswerCache]
Db = NamedDependency[Database]
"""For handlers that open their own unit of work (cached reads); most take DbSession."""
