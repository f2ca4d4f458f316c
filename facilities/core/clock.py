"""The product's one clock: every "as of" view takes its default date from here."""

from __future__ import annotations

from datetime import date

from facilities.core.settings import Settings


def today(settings: Settings) -> date:
    return settings.as_of or date.today()


def resolve_as_of(settings: Settings, as_of: date | None) -> date:
    return as_of if as_of is not None else today(settings)
