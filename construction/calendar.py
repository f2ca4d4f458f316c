"""Calendar and working days. Working days skip weekends and Taiwan's public holidays, and
count the make-up Saturdays, from the maintained `holidays` package (no hand-typed list)."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import cache

import holidays


class Basis(StrEnum):
    calendar = "calendar"
    working = "working"


@cache
def _taiwan(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("TW", years=year)


def is_working_day(day: date) -> bool:
    return _taiwan(day.year).is_working_day(day)


def days_between(start: date, end: date, basis: Basis) -> int:
    """Days from `start` to `end`, both included (0 if `end` is before `start`)."""
    if end < start:
        return 0
    if basis is Basis.calendar:
        return (end - start).days + 1
    return sum(1 for n in range((end - start).days + 1) if is_working_day(start + timedelta(n)))


def day_number(start: date, days: int, basis: Basis) -> date:
    """The date of day `days` counted from `start` as day 1 (the finish of a contract that
    starts on `start` and lasts `days` days)."""
    if days < 1:
        raise ValueError("a duration is at least one day")
    if basis is Basis.calendar:
        return start + timedelta(days - 1)
    day, counted = start, 0
    while True:
        if is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += timedelta(1)
