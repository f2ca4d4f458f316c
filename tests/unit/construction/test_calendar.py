"""Working days on Taiwan's calendar."""

from __future__ import annotations

from datetime import date

from construction.rules import Basis, day_number, days_between, is_working_day


def test_weekends_and_holidays_are_not_working_days():
    assert is_working_day(date(2014, 6, 30))  # a Monday
    assert not is_working_day(date(2014, 6, 28))  # a Saturday
    assert not is_working_day(date(2014, 10, 10))  # National Day, a Friday
    assert not is_working_day(date(2014, 1, 31))  # Chinese New Year
    assert is_working_day(date(2013, 2, 23))  # a Saturday worked to make up for 15 February
    assert not is_working_day(date(2013, 2, 15))


def test_counting_days():
    assert days_between(date(2014, 6, 2), date(2014, 6, 8), Basis.calendar) == 7
    assert (
        days_between(date(2014, 6, 2), date(2014, 6, 8), Basis.working) == 4
    )  # Dragon Boat, 2 June
    assert days_between(date(2014, 6, 9), date(2014, 6, 1), Basis.calendar) == 0
    assert days_between(date(2014, 10, 6), date(2014, 10, 12), Basis.working) == 4  # 10 October


def test_the_nth_day_of_a_contract():
    assert day_number(date(2013, 5, 1), 1, Basis.calendar) == date(2013, 5, 1)
    assert day_number(date(2013, 5, 1), 415, Basis.calendar) == date(2014, 6, 19)
    assert day_number(date(2014, 6, 2), 1, Basis.working) == date(2014, 6, 3)
    finish = day_number(date(2013, 5, 1), 415, Basis.working)
    assert days_between(date(2013, 5, 1), finish, Basis.working) == 415 and is_working_day(finish)


def test_taiwans_2025_and_2026_calendars_as_published():
    """The days off that the 2025 amendments made (Teachers' Day, Retrocession Day and
    Constitution Day national holidays again, Labour Day for everyone, the day before Lunar New
    Year's Eve) as the Directorate-General of Personnel Administration published them for 2025
    and 2026. holidays releases before the floor in pyproject.toml count them as working days."""
    days_off = [
        date(2025, 9, 29),  # Teachers' Day (Sunday 28 September), observed
        date(2025, 10, 24),  # Retrocession Day (Saturday 25 October), observed
        date(2025, 12, 25),  # Constitution Day
        date(2026, 2, 20),  # the day before New Year's Eve (Sunday 15 February), observed
        date(2026, 5, 1),  # Labour Day
        date(2026, 9, 28),  # Teachers' Day
        date(2026, 10, 26),  # Retrocession Day (Sunday 25 October), observed
        date(2026, 12, 25),  # Constitution Day
    ]
    assert [day for day in days_off if is_working_day(day)] == []
    assert is_working_day(date(2025, 10, 23)) and is_working_day(date(2026, 12, 24))
    assert is_working_day(date(2025, 2, 8))  # a Saturday worked for 27 January
    # six weeks of weekdays (30) less 29 September, 6 (Mid-Autumn), 10 and 24 October
    assert days_between(date(2025, 9, 22), date(2025, 10, 31), Basis.working) == 26
