"""Burn, earned value and earned schedule on a project built by hand."""

from __future__ import annotations

import math
from datetime import date

from construction.rules import (
    Basis,
    BudgetLine,
    Progress,
    Schedule,
    burn,
    earned_value,
    planned_fraction,
    time_for_fraction,
)  # fmt: skip

SCHEDULE = Schedule(date(2014, 1, 1), date(2014, 12, 31), Basis.calendar, "programme_window")
LINES = [
    BudgetLine(2013, 2013, 100_000, 100_000, 90_000),
    BudgetLine(2014, 2014, 900_000, 600_000, 0),
]
PROGRESS = [Progress(date(2014, 3, 31), 10.0, 150_000), Progress(date(2014, 7, 2), 40.0, 500_000)]


def test_the_s_curve_and_its_inverse():
    assert planned_fraction(0) == 0 and planned_fraction(1) == 1
    assert math.isclose(planned_fraction(0.5), 0.5)
    assert math.isclose(planned_fraction(0.25), (1 - math.cos(math.pi / 4)) / 2)
    for p in (0.0, 0.1, 0.4, 0.9, 1.0):
        assert math.isclose(planned_fraction(time_for_fraction(p)), p, abs_tol=1e-12)


def test_earned_value_by_hand():
    ev = earned_value(1_000_000, 0.5, 40.0, 500_000)  # half the work planned, 40% done
    assert (ev.pv, ev.ev, ev.ac, ev.sv, ev.cv) == (500_000, 400_000, 500_000, -100_000, -100_000)
    assert (ev.spi, ev.cpi) == (0.8, 0.8)
    assert (ev.eac, ev.etc, ev.vac) == (1_250_000, 750_000, -250_000)
    assert ev.tcpi == round(600_000 / 500_000, 3)


def test_before_the_start():
    b = burn(1_000_000, SCHEDULE, LINES, PROGRESS, date(2013, 12, 1))
    assert (b.days_elapsed, b.days_remaining, b.days_total) == (0, 365, 365)
    assert (b.planned_pct, b.work_done_pct, b.status) == (0.0, 0.0, "green")
    assert b.appropriated_to_date_ntd == 100_000 and b.spent_ntd == 90_000
    assert b.earned_value.pv == 0 and b.forecast_finish == date(2014, 12, 31)


def test_in_the_middle():
    as_of = date(2014, 7, 2)  # day 183 of 365
    b = burn(1_000_000, SCHEDULE, LINES, PROGRESS, as_of)
    used = 183 / 365
    planned = round((1 - math.cos(math.pi * used)) / 2 * 100, 1)
    assert (b.days_elapsed, b.days_remaining, b.schedule_used_pct) == (
        183,
        182,
        round(used * 100, 1),
    )
    assert (b.planned_pct, b.work_done_pct, b.data_date) == (planned, 40.0, as_of)
    assert (b.appropriated_to_date_ntd, b.committed_ntd, b.spent_ntd) == (
        1_000_000,
        700_000,
        500_000,
    )
    assert b.appropriation_burn_pct == 50.0 and b.budget_burn_pct == 50.0
    ev = b.earned_value
    exact_pv = 1_000_000 * (1 - math.cos(math.pi * used)) / 2
    assert (ev.pv, ev.ev, ev.ac) == (math.floor(exact_pv + 0.5), 400_000, 500_000)
    assert ev.cpi == 0.8 and ev.eac == 1_250_000
    es = math.acos(1 - 2 * 0.4) / math.pi * 365
    assert b.earned_schedule_days == round(es, 1) and b.spi_t == round(es / 183, 3)
    expected_days = math.ceil(365 * 183 / es)  # PD / SPI(t), SPI(t) unrounded
    assert (b.forecast_finish - date(2014, 1, 1)).days + 1 == expected_days
    assert b.status == "red" and any("CPI" in r for r in b.reasons)


def test_after_the_planned_finish_the_clock_runs_on():
    b = burn(1_000_000, SCHEDULE, LINES, PROGRESS, date(2015, 3, 1))
    assert (b.days_elapsed, b.days_remaining, b.schedule_used_pct, b.planned_pct) == (
        425,
        0,
        round(425 / 365 * 100, 1),
        100.0,
    )
    assert b.earned_value.pv == 1_000_000 and b.earned_value.sv == 400_000 - 1_000_000
    es = math.acos(1 - 2 * 0.4) / math.pi * 365
    assert b.spi_t == round(es / 425, 3) and b.sv_t_days == round(es - 425, 1)
    assert (b.forecast_finish - date(2014, 1, 1)).days + 1 == math.ceil(365 * 425 / es)
    assert b.forecast_finish > date(2015, 3, 1)


def test_spending_beyond_the_appropriation_is_red():
    lines = [BudgetLine(2014, 2014, 100_000, 100_000, 0)]
    b = burn(
        1_000_000, SCHEDULE, lines, [Progress(date(2014, 2, 1), 5.0, 120_000)], date(2014, 2, 1)
    )
    assert b.status == "red" and any("beyond the NT$100,000 appropriated" in r for r in b.reasons)


def test_a_finished_project_forecasts_its_actual_finish():
    done = [Progress(date(2014, 11, 20), 100.0, 950_000)]
    b = burn(1_000_000, SCHEDULE, LINES, done, date(2014, 12, 1))
    assert b.forecast_finish == date(2014, 11, 20) and b.status == "green"


def test_working_day_schedules_count_working_days():
    schedule = Schedule(date(2014, 6, 2), date(2014, 6, 13), Basis.working, "contract")
    b = burn(100, schedule, [], [], date(2014, 6, 8))
    assert (b.days_total, b.days_elapsed, b.schedule_days) == (9, 4, "working")
