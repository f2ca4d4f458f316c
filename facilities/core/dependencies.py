"""What handlers receive: the request's session, the settings, the product's date, the actor."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date

from anyio import to_thread
from litestar import Request
from litestar.datastructures import State
from litestar.di import NamedDependency, Provide
from sqlalchemy.orm import Session

from facilities.core.cache import AnswerCache
from facilities.core.clock import today
from facilities.core.db import Database
from facilities.core.http import SAFE_METHODS
from facilities.core.settings import Settings


async def provide_session(state: State, request: Request) -> AsyncIterator[Session]:
    """One session per request: committed when the handler succeeds, rolled back if it raises.

    The commit (which flushes whatever is pending, and may wait for a lock) runs in a worker
    thread, never in the event loop: a loop blocked on a lock could not run the commit of the
    transaction holding it."""
    db: Database = state.db
    session = db.new_session(write=request.method not in SAFE_METHODS)
    try:
        yield session
        await to_thread.run_sync(session.commit)
    except BaseException:
        await to_thread.run_sync(session.rollback)
        raise
    finally:
        await to_thread.run_sync(session.close)


def provide_settings(state: State) -> Settings:
    return state.settings


def provide_today(state: State) -> date:
    return today(state.settings)


def provide_db(state: State) -> Database:
    return state.db


@dataclass(frozen=True)
class Reading:
    """What a cached read needs, as one dependency: Litestar resolves two or more dependencies
    of a handler in a task group of their own, a cost on every request of a hot read."""

    db: Database
    cache: AnswerCache
    settings: Settings
    today: date


def provide_reading(state: State) -> Reading:
    return Reading(state.db, state.cache, state.settings, today(state.settings))


def provide_actor(request: Request) -> str:
    """Who is making the change, as the audit trail names them: user:NAME or token:NAME."""
    return request.user.actor


DEPENDENCIES = {
    "session": Provide(provide_session),
    "settings": Provide(provide_settings, sync_to_thread=False),
    "today": Provide(provide_today, sync_to_thread=False),
    "actor": Provide(provide_actor, sync_to_thread=False),
    "db": Provide(provide_db, sync_to_thread=False),
    "reading": Provide(provide_reading, sync_to_thread=False),
}

DbSession = NamedDependency[Session]
AppSettings = NamedDependency[Settings]
Today = NamedDependency[date]
Actor = NamedDependency[str]
Db = NamedDependency[Database]
Reads = NamedDependency[Reading]
"""A cached read's database, answer cache, settings and date, as one dependency."""
"""For handlers that open their own unit of work (cached reads); most take DbSession."""
