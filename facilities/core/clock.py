"""The product's one clock: every "as of" view takes its default date from here, and every date
a person or client asks about lies in the span the product answers for."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar.params import QueryParameter

from facilities.core.errors import DomainError
from facilities.core.settings import EARLIEST, LATEST, Settings

AsOf = Annotated[
    date | None,
    QueryParameter(description=f"YYYY-MM-DD, {EARLIEST} to {LATEST}; default: the product's date"),
]


class DateOutOfRange(DomainError):
    status_code = 400
    title = "Date out of range"


def today(settings: Settings) -> date:
    return settings.as_of or date.today()


def bounded(day: date | None, name: str = "as_of") -> date | None:
    """The date, if it lies between 1990-01-01 and 2100-12-31; a 400 otherwise."""
    if day is not None and not EARLIEST <= day <= LATEST:
        raise DateOutOfRange(f"{name} {day} is outside {EARLIEST} to {LATEST}")
    return day


def resolve_as_of(settings: Settings, as_of: date | None) -> date:
    return bounded(as_of) if as_of is not None else today(settings)
