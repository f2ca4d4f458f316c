"""Schedule and budget burn, earned value and earned schedule, and the red/amber/green status:
pure functions over plain data.

Planned progress follows the classic S-curve p(x) = (1 - cos(pi x)) / 2 of the share x of
the schedule gone (or a straight line); earned schedule inverts it: the time at which the plan
expected the work done so far. Earned value by the PMI formulas, with the EAC in its three
standard forms and the TCPI to the BAC and to the EAC.

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

from facilities.core.money import pct, round_half_away, whole_ntd
from facilities.sites.rules import Stage


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


class Curve(StrEnum):
    """How the plan spreads the work over the schedule."""

    s_curve = "s_curve"
    """(1 - cos(pi x)) / 2: slow start, fast middle, slow finish, as building work goes."""
    linear = "linear"


@dataclass(frozen=True)
class Schedule:
    start: date
    finish: date
    basis: Basis
    name: str
    """Which schedule: "programme_window" or "contract" (e.g. 415 calendar days)."""
    curve: Curve = Curve.s_curve

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
    """Earned value by the PMI formulas (PMBOK Guide, 6th ed., table 7-1). Money in whole NT$,
    ratios to three decimals, both rounded half away from zero; None where a ratio has no base."""

    bac: int
    pv: int
    ev: int
    ac: int
    sv: int
    cv: int
    spi: float | None
    cpi: float | None
    eac: int | None
    """BAC / CPI: the work left costs what the work done has cost."""
    eac_at_budget_rate: int
    """AC + (BAC - EV): the work left costs what it was budgeted to."""
    eac_cost_and_schedule: int | None
    """AC + (BAC - EV) / (CPI x SPI): both the cost and the schedule performance carry on."""
    etc: int | None
    vac: int | None
    tcpi: float | None
    """To meet the BAC: (BAC - EV) / (BAC - AC); None once AC reaches the BAC."""
    tcpi_eac: float | None
    """To meet the EAC (BAC / CPI): (BAC - EV) / (EAC - AC)."""
    tcpi_note: str | None


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
    """Actual time (AT): days from the start to the date, running on past the planned finish."""
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
    sv_t_days: float
    """ES - AT: negative when behind."""
    forecast_finish: date
    forecast_basis: str
    status: str
    reasons: list[str] = field(default_factory=list)


def planned_fraction(time_fraction: float, curve: Curve = Curve.s_curve) -> float:
    x = min(max(time_fraction, 0.0), 1.0)
    return x if curve is Curve.linear else (1 - math.cos(math.pi * x)) / 2


def time_for_fraction(work_fraction: float, curve: Curve = Curve.s_curve) -> float:
    """The inverse of the plan: the share of the schedule by which it expected this much work."""
    p = min(max(work_fraction, 0.0), 1.0)
    return p if curve is Curve.linear else math.acos(1 - 2 * p) / math.pi


def schedule_used(schedule: Schedule, day: date) -> float:
    """The share of the schedule gone by `day` (0 before the start, 1 from the finish on)."""
    total = schedule.duration
    return min(days_between(schedule.start, day, schedule.basis), total) / total if total else 1.0


def planned_share(schedule: Schedule, day: date) -> float:
    """The exact share of the work the plan expects done by `day`."""
    return planned_fraction(schedule_used(schedule, day), schedule.curve)


def planned_pct(schedule: Schedule, day: date) -> float:
    """The percent of the work the plan expects done by `day`, to one decimal."""
    return float(round_half_away(Fraction(planned_share(schedule, day)) * 100, 1))


def planned_curve(schedule: Schedule, points: int = 24) -> list[tuple[date, float]]:
    """The planned curve as (date, percent) at `points` even steps of the calendar span."""
    span = (schedule.finish - schedule.start).days
    return [
        (schedule.start + timedelta(days=span * i // points),
         planned_fraction(i / points, schedule.curve) * 100)
        for i in range(points + 1)
    ]  # fmt: skip


def ratio(numerator: int | float, denominator: int | float) -> float | None:
    if not denominator:
        return None
    return float(round_half_away(Fraction(numerator) / Fraction(denominator), 3))


def earned_value(bac: int, planned: float, done_pct: float, ac: int) -> EarnedValue:
    """`planned`: the exact share of the work planned by the date (not a rounded percent);
    `done_pct`: the percent complete as reported."""
    pv = whole_ntd(Fraction(bac) * Fraction(planned))
    ev = whole_ntd(Fraction(bac) * Fraction(str(done_pct)) / 100)
    spi, cpi = ratio(ev, pv), ratio(ev, ac)
    exact_cpi = Fraction(ev, ac) if ac else None
    exact_spi = Fraction(ev, pv) if pv else None
    eac = whole_ntd(bac / exact_cpi) if exact_cpi else None
    composite = (whole_ntd(ac + (bac - ev) / (exact_cpi * exact_spi))
                 if exact_cpi and exact_spi else None)  # fmt: skip
    tcpi, note = None, None
    if bac - ac > 0:
        tcpi = ratio(bac - ev, bac - ac)
    else:
        note = (f"預算已用罄，無法於預算內完成 · The budget is spent (NT${ac:,} of NT${bac:,}): it "
                "can no longer be met; see the TCPI to the EAC")  # fmt: skip
    return EarnedValue(
        bac=bac, pv=pv, ev=ev, ac=ac, sv=ev - pv, cv=ev - ac, spi=spi, cpi=cpi, eac=eac,
        eac_at_budget_rate=ac + bac - ev, eac_cost_and_schedule=composite,
        etc=eac - ac if eac is not None else None, vac=bac - eac if eac is not None else None,
        tcpi=tcpi, tcpi_eac=ratio(bac - ev, eac - ac) if eac is not None and eac > ac else None,
        tcpi_note=note,
    )  # fmt: skip


@dataclass(frozen=True)
class EarnedSchedule:
    """Earned schedule (Lipke, "Schedule is Different", The Measurable News, March 2003): the
    time by which the plan expected the work done so far (ES), against the actual time (AT)."""

    actual_days: int
    earned_days: float
    spi_t: float | None
    forecast_finish: date
    forecast_basis: str


FORECAST_LIMIT = 20
"""A forecast is at most this many planned durations after the start (nothing earned to speak
of otherwise stretches it to the end of the calendar)."""


def earned_schedule(
    schedule: Schedule, done_pct: float, as_of: date, finished_on: date | None
) -> EarnedSchedule:
    """AT runs on past the planned finish; the forecast (IEAC(t) = PD / SPI(t)) of unfinished
    work is never before the day after `as_of`."""
    duration = schedule.duration
    at = days_between(schedule.start, as_of, schedule.basis)
    es = time_for_fraction(done_pct / 100, schedule.curve) * duration
    spi_t = ratio(es, at)
    if finished_on is not None:
        return EarnedSchedule(
            at, es, spi_t, finished_on, "finished: the date the work reached 100%"
        )
    if at == 0:
        return EarnedSchedule(at, es, spi_t, schedule.finish, "not started: the planned finish")
    if es <= 0:
        finish = day_number(max(as_of, schedule.start), duration, schedule.basis)
        return EarnedSchedule(at, es, spi_t, finish, "nothing earned yet: the planned duration "
                              "counted from the date")  # fmt: skip
    days = min(math.ceil(duration * at / es), FORECAST_LIMIT * duration + at)
    finish = max(day_number(schedule.start, days, schedule.basis), as_of + timedelta(days=1))
    return EarnedSchedule(at, es, spi_t, finish, "earned schedule: PD / SPI(t)")


def latest(progress: Sequence[Progress], as_of: date) -> Progress | None:
    known = [p for p in progress if p.data_date <= as_of]
    return max(known, key=lambda p: p.data_date) if known else None


def finished_on(progress: Sequence[Progress], as_of: date) -> date | None:
    """The data date of the first report at 100%, if the work was finished by `as_of`."""
    done = [p.data_date for p in progress if p.data_date <= as_of and p.percent_complete >= 100]
    return min(done, default=None)


def burn(
    bac: int,
    schedule: Schedule,
    lines: Sequence[BudgetLine],
    progress: Sequence[Progress],
    as_of: date,
) -> Burn:
    total = schedule.duration
    report = latest(progress, as_of)
    done = report.percent_complete if report else 0.0
    appropriated_to_date = sum(x.appropriated_ntd for x in lines if x.first_year <= as_of.year)
    spent = report.spent_to_date_ntd if report else sum(
        x.spent_ntd for x in lines if x.first_year <= as_of.year)  # fmt: skip
    planned = planned_share(schedule, as_of)
    ev = earned_value(bac, planned, done, spent)
    es = earned_schedule(schedule, done, as_of, finished_on(progress, as_of))
    due_pct = planned_pct(schedule, as_of)
    status, reasons = rag(schedule, as_of, due_pct, report, ev, es, appropriated_to_date)
    return Burn(
        as_of=as_of, schedule_basis=schedule.name, schedule_days=schedule.basis.value,
        start=schedule.start, planned_finish=schedule.finish, days_total=total,
        days_elapsed=es.actual_days, days_remaining=max(total - es.actual_days, 0),
        schedule_used_pct=pct(es.actual_days, total) or 0.0,
        planned_pct=due_pct, work_done_pct=done,
        data_date=report.data_date if report else None,
        appropriated_to_date_ntd=appropriated_to_date,
        appropriated_total_ntd=sum(x.appropriated_ntd for x in lines),
        committed_ntd=sum(x.committed_ntd for x in lines if x.first_year <= as_of.year),
        spent_ntd=spent, appropriation_burn_pct=pct(spent, appropriated_to_date),
        budget_burn_pct=pct(spent, bac) or 0.0, earned_value=ev,
        earned_schedule_days=float(round_half_away(es.earned_days, 1)), spi_t=es.spi_t,
        sv_t_days=float(round_half_away(es.earned_days - es.actual_days, 1)),
        forecast_finish=es.forecast_finish, forecast_basis=es.forecast_basis,
        status=status, reasons=reasons,
    )  # fmt: skip


RED, AMBER = 0.85, 0.95
LATE_RED_DAYS = 60
STALE_DAYS = 62
"""Monthly reports are due each month: none for two months is a fact the status says."""


def rag(
    schedule: Schedule,
    as_of: date,
    due_pct: float,
    report: Progress | None,
    ev: EarnedValue,
    es: EarnedSchedule,
    appropriated: int,
) -> tuple[str, list[str]]:
    """Red: more than 15% behind or over cost, finishing more than 60 days late, or spending
    beyond the appropriation. Amber: more than 5% behind or over cost, finishing late, or no
    progress reported while work is due. A project is judged by what is due (`due_pct`, the
    planned percent as people read it): nothing due yet and nothing done is no fault."""
    done = report.percent_complete if report else 0.0
    red: list[str] = []
    amber: list[str] = []
    if ev.ac > appropriated:
        red.append(f"支出 NT${ev.ac:,} 超過累計預算數 NT${appropriated:,} · spent NT${ev.ac:,} is "
                   f"beyond the NT${appropriated:,} appropriated to date")  # fmt: skip
    if due_pct == 0 and not done:
        if red:
            return "red", red
        return "green", ["尚未開工 · not started yet" if as_of < schedule.start
                         else "今日開工 · starts today: nothing is due yet"]  # fmt: skip
    if done == 0:
        since = f"（最近一次 {report.data_date}）" if report else ""
        amber.append(f"未報進度{since} · no progress reported" +
                     (f" (last report {report.data_date})" if report else ""))  # fmt: skip
    elif es.spi_t is not None and done < 100:
        _judge(red, amber, "進度", "schedule (SPI(t))", es.spi_t)
    if report is not None and done < 100 and (as_of - report.data_date).days > STALE_DAYS:
        amber.append(f"自 {report.data_date} 起未報進度 · no progress reported since "
                     f"{report.data_date}")  # fmt: skip
    if ev.cpi is not None:
        _judge(red, amber, "成本", "cost (CPI)", ev.cpi)
    late = (es.forecast_finish - schedule.finish).days
    words = (
        f"預估完工 {es.forecast_finish} 較預定 {schedule.finish} 晚 {late} 天 · forecast "
        f"finish {es.forecast_finish} is {late} days after the planned {schedule.finish}"
    )
    if late > LATE_RED_DAYS:
        red.append(words)
    elif late > 0:
        amber.append(words)
    if red:
        return "red", red + amber
    if amber:
        return "amber", amber
    return "green", ["進度及經費正常 · on schedule and within budget"]


def _judge(red: list[str], amber: list[str], zh: str, en: str, value: float) -> None:
    words = f"{zh}指標 {value:.2f} 低於 {{limit}} · {en} {value:.2f} is below {{limit}}"
    if value < RED:
        red.append(words.format(limit=RED))
    elif value < AMBER:
        amber.append(words.format(limit=AMBER))


WINDOW_MARGIN_DAYS = 365
"""Reports may come in up to a year after the forecast finish (the final account)."""


@dataclass(frozen=True)
class Window:
    """The dates a progress report may carry: the project's start to its forecast finish and
    a margin."""

    start: date
    end: date


def progress_window(schedule: Schedule, forecast: date) -> Window:
    end = max(schedule.finish, forecast) + timedelta(days=WINDOW_MARGIN_DAYS)
    return Window(schedule.start, end)


def progress_problems(
    report: Progress,
    reason: str,
    *,
    earlier: Progress | None,
    later: Progress | None,
    correction: bool,
    window: Window,
    today: date,
    due_pct: float,
    spent_before_reports: int,
) -> list[str]:
    """What is wrong with a monthly report (a new one, or a correction of a filed one) between
    the reports `earlier` and `later` than it. Work done and spending to date never decrease."""
    day, done, spent = report.data_date, report.percent_complete, report.spent_to_date_ntd
    problems = []
    if day > today:
        problems.append(f"data_date {day} is after the product's date {today}")
    if not window.start <= day <= window.end:
        problems.append(
            f"data_date {day} is outside the project's window, {window.start} to {window.end} "
            "(its start to its forecast finish and a year)"
        )
    if later is not None and not correction:
        problems.append(
            f"a report dated {later.data_date} is already filed: file reports in date order, or "
            "correct an earlier one (PATCH .../progress/{data_date})"
        )
    if earlier is not None:
        problems += _not_below(earlier, done, spent)
    elif spent < spent_before_reports:
        problems.append(
            f"spent to date NT${spent:,} is less than the NT${spent_before_reports:,} the budget "
            f"lines record as spent in the fiscal years before FY{day.year}"
        )
    if later is not None and correction:
        problems += _not_above(later, done, spent)
    if done < due_pct and not reason.strip():
        problems.append(
            f"the work ({done:g}%) is behind plan ({due_pct:g}% by {day}): give the reason, as "
            "the public-works rules ask"
        )
    return problems


def _not_below(earlier: Progress, done: float, spent: int) -> list[str]:
    problems = []
    if done < earlier.percent_complete:
        problems.append(
            f"{done:g}% done is less than the {earlier.percent_complete:g}% reported on "
            f"{earlier.data_date}: work done does not decrease; correct that report instead"
        )
    if spent < earlier.spent_to_date_ntd:
        problems.append(
            f"spent to date NT${spent:,} is less than the NT${earlier.spent_to_date_ntd:,} "
            f"reported on {earlier.data_date}: spending to date does not decrease; correct "
            "that report instead"
        )
    return problems


def _not_above(later: Progress, done: float, spent: int) -> list[str]:
    problems = []
    if done > later.percent_complete:
        problems.append(
            f"{done:g}% done is more than the {later.percent_complete:g}% reported later, on "
            f"{later.data_date}"
        )
    if spent > later.spent_to_date_ntd:
        problems.append(
            f"spent to date NT${spent:,} is more than the NT${later.spent_to_date_ntd:,} "
            f"reported later, on {later.data_date}"
        )
    return problems


def line_spending(
    lines: Sequence[BudgetLine], reports: Sequence[Progress]
) -> dict[int, tuple[int, str]]:
    """Each budget line's spending, from one record: for a fiscal year (or span) with monthly
    reports, the spending to date at its last report less that before it; for the years
    before reporting began, what the line records. With the basis of each figure, by the
    line's first year."""
    ordered = sorted(reports, key=lambda r: r.data_date)
    result: dict[int, tuple[int, str]] = {}
    so_far = 0
    for line in sorted(lines, key=lambda x: x.first_year):
        inside = [r for r in ordered if line.first_year <= r.data_date.year <= line.last_year]
        if inside:
            prior = [r for r in ordered if r.data_date.year < line.first_year]
            start = prior[-1].spent_to_date_ntd if prior else so_far
            spent = inside[-1].spent_to_date_ntd - start
            last = inside[-1].data_date
            result[line.first_year] = (spent, f"monthly progress reports to {last}")
        else:
            spent = line.spent_ntd
            result[line.first_year] = (spent, "recorded on the budget line")
        so_far += spent
    return result


def spent_before(lines: Sequence[BudgetLine], year: int) -> int:
    """What the budget lines record as spent in the fiscal years wholly before `year`."""
    return sum(x.spent_ntd for x in lines if x.last_year < year)


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


DESIGN_PACKAGE = "DES"
BUILD_PACKAGE = "CON"
"""The work packages whose milestones move a project's pipeline tracks on."""


@dataclass(frozen=True)
class MilestoneDone:
    package: str
    name: str
    actual_date: date | None


def stage_reached(milestones: Sequence[MilestoneDone]) -> tuple[Stage, date, str] | None:
    """The pipeline stage a project's milestones show it has reached, the day and the milestone:
    under construction from its first construction (CON) milestone done (the contract
    awarded), designed once every design (DES) milestone is done; None before either."""
    built = sorted((m for m in milestones if m.package == BUILD_PACKAGE and m.actual_date),
                   key=lambda m: (m.actual_date, m.name))  # fmt: skip
    if built and built[0].actual_date:
        return Stage.under_construction, built[0].actual_date, built[0].name
    design = [m for m in milestones if m.package == DESIGN_PACKAGE]
    days = [m.actual_date for m in design if m.actual_date]
    if design and len(days) == len(design):
        last = max(design, key=lambda m: (m.actual_date or date.min, m.name))
        return Stage.designed, max(days), last.name
    return None
