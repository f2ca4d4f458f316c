"""Earned value and earned schedule against worked examples from published sources, and the
cases a formula alone gets wrong (a late project past its finish, a spent budget, day one)."""

from __future__ import annotations

import math
from datetime import date, timedelta

from construction.rules import (
    Basis,
    BudgetLine,
    Curve,
    Progress,
    Schedule,
    burn,
    earned_schedule,
    earned_value,
)


def test_pmp_prepcast_earned_schedule_example():
    """PM PrepCast, PMP exam discussion "Explanation" (project-management-prepcast.com, topic
    9649): planned to take 5 months, 3 months in, half the work done: ES 2.5 months,
    SV(t) -0.5 months, SPI(t) 0.83. A straight-line plan of 150 days, 30 days a month."""
    plan = Schedule(date(2021, 1, 1), date(2021, 5, 30), Basis.calendar, "x", Curve.linear)
    assert plan.duration == 150
    es = earned_schedule(plan, 50.0, date(2021, 3, 31), None)  # day 90
    assert es.actual_days == 90 and es.earned_days == 75  # 2.5 months
    assert es.earned_days - es.actual_days == -15  # -0.5 month
    assert es.spi_t == 0.833
    # IEAC(t) = PD / SPI(t) = 150 / (75 / 90) = 180 days: six months
    assert es.forecast_finish == date(2021, 1, 1) + timedelta(days=179)


def test_ie5411_homework_earned_value_week_12():
    """IE5411 homework 9 (Course Hero, "Task 5: EV = (40X0.5) = 20 ..."), status at week 12 in
    $00: BAC 248, PV 158, EV 148, AC 210 -> SPI 0.94, CPI 0.7047, EAC = BAC / CPI = 352,
    VAC = -104. Here in dollars (x 100)."""
    ev = earned_value(24_800, 158 / 248, 148 / 248 * 100, 21_000)
    assert (ev.pv, ev.ev, ev.ac) == (15_800, 14_800, 21_000)
    assert (ev.sv, ev.cv) == (-1_000, -6_200)
    assert ev.spi == 0.937 and ev.cpi == 0.705
    assert round(ev.eac / 100) == 352 and round(ev.vac / 100) == -104
    assert ev.eac == round(24_800 * 21_000 / 14_800)  # 35,189.19
    assert ev.eac_at_budget_rate == 21_000 + 24_800 - 14_800
    assert ev.eac_cost_and_schedule == round(
        21_000 + 10_000 / ((14_800 / 21_000) * (14_800 / 15_800))
    )
    assert ev.tcpi == round(10_000 / 3_800, 3) and ev.tcpi_note is None
    assert ev.tcpi_eac == round(10_000 / (ev.eac - 21_000), 3)


def test_ie5411_homework_earned_value_week_7():
    """The same homework at week 7: BAC 118, EV 85, AC 63 -> CPI 1.35, EAC 87, VAC 31."""
    ev = earned_value(11_800, 85 / 118, 85 / 118 * 100, 6_300)
    assert ev.cpi == 1.349 and round(ev.eac / 100) == 87 and round(ev.vac / 100) == 31


def test_a_late_project_keeps_losing_time_after_its_planned_finish():
    """Planned 2020-01-01 to 2020-12-31 (366 days), 95% done on 2021-06-30: by Lipke's method
    AT = 547, ES = 366 x acos(1 - 1.9) / pi, SPI(t) 0.573, IEAC(t) = PD / SPI(t): 2021-09-30."""
    plan = Schedule(date(2020, 1, 1), date(2020, 12, 31), Basis.calendar, "programme_window")
    b = burn(1_000_000, plan, [], [Progress(date(2021, 6, 30), 95.0, 900_000)], date(2021, 6, 30))
    es = 366 * math.acos(1 - 1.9) / math.pi
    assert b.days_elapsed == 547 and b.earned_schedule_days == round(es, 1)
    assert b.spi_t == 0.573 and b.forecast_finish == date(2021, 9, 30)
    assert b.schedule_used_pct == round(547 / 366 * 100, 1) and b.planned_pct == 100.0
    later = burn(1_000_000, plan, [], [Progress(date(2021, 6, 30), 95.0, 900_000)],
                 date(2021, 12, 31))  # fmt: skip
    assert later.spi_t < b.spi_t and later.forecast_finish > date(2021, 12, 31)
    assert later.status == "red"


def test_spending_past_the_budget_has_no_tcpi_to_the_budget():
    ev = earned_value(1_000_000, 1.0, 90.0, 1_200_000)
    assert ev.cpi == 0.75 and ev.eac == 1_333_333
    assert ev.tcpi is None and "can no longer be met" in ev.tcpi_note
    assert ev.tcpi_eac == round(100_000 / 133_333, 3)
    assert ev.eac_at_budget_rate == 1_300_000


def test_planned_value_comes_from_the_exact_plan_not_a_rounded_percent():
    plan = Schedule(date(2013, 5, 1), date(2014, 8, 31), Basis.calendar, "programme_window")
    b = burn(237_396_755, plan, [], [], date(2014, 6, 30))
    x = 426 / 488
    assert b.earned_value.pv == math.floor(237_396_755 * (1 - math.cos(math.pi * x)) / 2 + 0.5)
    assert b.earned_value.pv != round(237_396_755 * b.planned_pct / 100)


PLAN = Schedule(date(2014, 1, 1), date(2014, 12, 31), Basis.calendar, "programme_window")
LINES = [BudgetLine(2014, 2014, 1_000_000, 0, 0)]


def test_the_first_day_is_judged_by_what_is_due():
    b = burn(1_000_000, PLAN, LINES, [], date(2014, 1, 1))
    assert b.planned_pct == 0.0 and b.status == "green"
    assert b.reasons == ["今日開工 · starts today: nothing is due yet"]


def test_no_progress_reported_is_amber_then_red_as_the_forecast_slips():
    b = burn(1_000_000, PLAN, LINES, [], date(2014, 2, 1))
    assert b.status == "amber" and any("no progress reported" in r for r in b.reasons)
    assert b.forecast_finish == date(2014, 2, 1) + timedelta(days=364)
    later = burn(1_000_000, PLAN, LINES, [], date(2014, 3, 15))
    assert later.status == "red" and later.forecast_finish == date(2015, 3, 14)


def test_spending_with_nothing_done_fails_the_cost_check():
    b = burn(1_000_000, PLAN, LINES, [Progress(date(2014, 3, 1), 0.0, 50_000)], date(2014, 3, 1))
    assert b.earned_value.cpi == 0.0 and b.status == "red"
    assert any("CPI" in r for r in b.reasons)
