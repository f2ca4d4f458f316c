"""Schedule and budget burn, earned value and earned schedule, and the red/amber/green status:
pure functions over plain data.

Planned progress follows the classic S-curve p(x) = (1 - cos(pi x)) / 2 of the share x of
the schedule gone; earned schedule inverts it: the time at which the plan expected the work
done so far. EAC = BAC / CPI; ETC = EAC - AC; VAC = BAC - EAC; TCPI = (BAC - EV) / (BAC - AC).

Calendar and working days. Working days skip weekends and Taiwan's public holidays, and
count the make-up Saturdays, from the maintained `holidays` package (no hand-typed list)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cache

import holidays

from facilities.core.money import round_half_away


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


@dataclass(frozen=True)
class Schedule:
    start: date
    finish: date
    basis: Basis
    name: str
    """Which schedule: "programme_window" or "contract" (e.g. 415 calendar days)."""

    @property
    def duration(self) -> int:
        return days_between(self.start, self.finish, self.basis)


@dataclass(frozen=True)
class BudgetLine:
    first_year: int
    last_year: int
    appropriated_ntd: int
    committed_ntd: int
    spent_ntd: int


@dataclass(frozen=True)
class Progress:
    data_date: date
    percent_complete: float
    spent_to_date_ntd: int


@dataclass(frozen=True)
class EarnedValue:
    bac: int
    pv: int
    ev: int
    ac: int
    sv: int
    cv: int
    spi: float | None
    cpi: float | None
    eac: int | None
    etc: int | None
    vac: int | None
    tcpi: float | None


@dataclass(frozen=True)
class Burn:
    as_of: date
    schedule_basis: str
    schedule_days: str
    """"calendar" or "working": the unit of every day count below."""
    start: date
    planned_finish: date
    days_total: int
    days_elapsed: int
    days_remaining: int
    schedule_used_pct: float
    planned_pct: float
    work_done_pct: float
    data_date: date | None
    appropriated_to_date_ntd: int
    appropriated_total_ntd: int
    committed_ntd: int
    spent_ntd: int
    appropriation_burn_pct: float | None
    budget_burn_pct: float
    earned_value: EarnedValue
    earned_schedule_days: float
    spi_t: float | None
    forecast_finish: date
    status: str
    reasons: list[str] = field(default_factory=list)


def planned_fraction(time_fraction: float) -> float:
    x = min(max(time_fraction, 0.0), 1.0)
    return (1 - math.cos(math.pi * x)) / 2


def time_for_fraction(work_fraction: float) -> float:
    """The inverse of the S-curve: the share of the schedule by which the plan expected it."""
    p = min(max(work_fraction, 0.0), 1.0)
    return math.acos(1 - 2 * p) / math.pi


def schedule_used(schedule: Schedule, day: date) -> float:
    """The share of the schedule gone by `day` (0 before the start, 1 from the finish on)."""
    total = schedule.duration
    return min(days_between(schedule.start, day, schedule.basis), total) / total if total else 1.0


def planned_pct(schedule: Schedule, day: date) -> float:
    """The percent of the work the plan expects done by `day`, to one decimal."""
    return round(planned_fraction(schedule_used(schedule, day)) * 100, 1)


def planned_curve(schedule: Schedule, points: int = 24) -> list[tuple[date, float]]:
    """The planned S-curve as (date, percent) at `points` even steps of the calendar span."""
    span = (schedule.finish - schedule.start).days
    return [
        (schedule.start + timedelta(days=span * i // points), planned_fraction(i / points) * 100)
        for i in range(points + 1)
    ]


def _ratio(numerator: float, denominator: float) -> float | None:
    return round(numerator / denominator, 3) if denominator else None


def earned_value(bac: int, planned_pct: float, done_pct: float, ac: int) -> EarnedValue:
    pv = round(bac * planned_pct / 100)
    ev = round(bac * done_pct / 100)
    cpi = ev / ac if ac else None
    eac = round(bac / cpi) if cpi else None
    return EarnedValue(
        bac=bac, pv=pv, ev=ev, ac=ac, sv=ev - pv, cv=ev - ac,
        spi=_ratio(ev, pv), cpi=round(cpi, 3) if cpi else None, eac=eac,
        etc=eac - ac if eac is not None else None, vac=bac - eac if eac is not None else None,
        tcpi=_ratio(bac - ev, bac - ac),
    )  # fmt: skip


def latest(progress: Sequence[Progress], as_of: date) -> Progress | None:
    known = [p for p in progress if p.data_date <= as_of]
    return max(known, key=lambda p: p.data_date) if known else None


def burn(
    bac: int,
    schedule: Schedule,
    lines: Sequence[BudgetLine],
    progress: Sequence[Progress],
    as_of: date,
) -> Burn:
    total = schedule.duration
    elapsed = min(days_between(schedule.start, as_of, schedule.basis), total)
    used = schedule_used(schedule, as_of)
    report = latest(progress, as_of)
    done = report.percent_complete if report else 0.0
    appropriated_to_date = sum(x.appropriated_ntd for x in lines if x.first_year <= as_of.year)
    spent = report.spent_to_date_ntd if report else sum(
        x.spent_ntd for x in lines if x.first_year <= as_of.year)  # fmt: skip
    planned = planned_pct(schedule, as_of)
    ev = earned_value(bac, planned, done, spent)
    es = time_for_fraction(done / 100) * total
    spi_t = round(es / elapsed, 3) if elapsed else None
    forecast = forecast_finish(schedule, done, spi_t, report)
    status, reasons = rag(schedule, as_of, done, ev, spi_t, forecast, spent, appropriated_to_date)
    return Burn(
        as_of=as_of, schedule_basis=schedule.name, schedule_days=schedule.basis.value,
        start=schedule.start, planned_finish=schedule.finish, days_total=total,
        days_elapsed=elapsed, days_remaining=total - elapsed,
        schedule_used_pct=round(used * 100, 1), planned_pct=planned, work_done_pct=done,
        data_date=report.data_date if report else None,
        appropriated_to_date_ntd=appropriated_to_date,
        appropriated_total_ntd=sum(x.appropriated_ntd for x in lines),
        committed_ntd=sum(x.committed_ntd for x in lines if x.first_year <= as_of.year),
        spent_ntd=spent,
        appropriation_burn_pct=round(spent * 100 / appropriated_to_date, 1)
        if appropriated_to_date else None,
        budget_burn_pct=round(spent * 100 / bac, 1) if bac else 0.0,
        earned_value=ev, earned_schedule_days=round(es, 1), spi_t=spi_t,
        forecast_finish=forecast, status=status, reasons=reasons,
    )  # fmt: skip


def forecast_finish(
    schedule: Schedule, done: float, spi_t: float | None, report: Progress | None
) -> date:
    """By earned schedule: the planned duration stretched by SPI(t)."""
    if done >= 100 and report is not None:
        return report.data_date
    if not spi_t:
        return schedule.finish
    days = max(1, math.ceil(schedule.duration / spi_t))
    if days > 20 * schedule.duration:  # nothing earned yet to speak of
        return schedule.finish + timedelta(days=20 * schedule.duration)
    return day_number(schedule.start, days, schedule.basis)


def rag(
    schedule: Schedule,
    as_of: date,
    done: float,
    ev: EarnedValue,
    spi_t: float | None,
    forecast: date,
    spent: int,
    appropriated: int,
) -> tuple[str, list[str]]:
    """Red: more than 15% behind or over cost, finishing more than 60 days late, or spending
    beyond the appropriation. Amber: more than 5% behind or over cost, or finishing late."""
    if as_of < schedule.start and not done:
        return "green", ["not started yet"]
    red, amber = [], []
    for name, value in (("schedule (SPI(t))", spi_t), ("cost (CPI)", ev.cpi)):
        if value is not None and value < 0.85:
            red.append(f"{name} {value:.2f} is below 0.85")
        elif value is not None and value < 0.95:
            amber.append(f"{name} {value:.2f} is below 0.95")
    late = (forecast - schedule.finish).days
    if late > 60:
        red.append(f"forecast finish {forecast} is {late} days after the planned {schedule.finish}")
    elif late > 0:
        amber.append(
            f"forecast finish {forecast} is {late} days after the planned {schedule.finish}"
        )
    if spent > appropriated:
        red.append(f"spent NT${spent:,} is beyond the NT${appropriated:,} appropriated to date")
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", ["on schedule and within budget"]


def project_problems(project: dict, county_known: bool) -> list[str]:
    """What is wrong with a project's fields (before it is registered)."""
    problems = [] if county_known else [f"county '{project['county']}' is not in the register"]
    if project["planned_finish"] < project["planned_start"]:
        problems.append(
            f"planned_finish {project['planned_finish']} is before planned_start "
            f"{project['planned_start']}"
        )
    if project["budget_total_ntd"] <= 0:
        problems.append("budget_total_ntd must be above 0")
    if bool(project.get("contract_start")) != bool(project.get("contract_days")):
        problems.append("a contract needs both contract_start and contract_days")
    if project.get("contract_days") is not None and project["contract_days"] < 1:
        problems.append("contract_days must be at least 1")
    return problems


def budget_line_problems(line: dict) -> list[str]:
    problems = []
    if line["last_year"] < line["first_year"]:
        problems.append(f"last_year {line['last_year']} is before first_year {line['first_year']}")
    return problems


def milestone_problems(milestone: dict, today: date) -> list[str]:
    """What is wrong with a milestone's fields, as they would stand after a change."""
    problems = []
    actual = milestone.get("actual_date")
    if actual and actual > today:
        problems.append(f"actual_date {actual} is after the product's date {today}")
    if actual and milestone["percent_complete"] < 100:
        problems.append("a milestone with an actual_date is 100% complete")
    return problems


def payback_years(cost_ntd: int | None, annual_saving_ntd: int) -> float | None:
    """Simple payback: what a new center costs over the rent it saves a year, in years to one
    decimal (half away from zero); None when it saves no rent or its cost is not known."""
    if cost_ntd is None or annual_saving_ntd <= 0:
        return None
    return float(round_half_away(Fraction(cost_ntd, annual_saving_ntd), 1))
