"""The Legislative Yuan's rent-reduction mandate as pure rules over plain data.

one_off:      the rent of year N is at most the baseline year's rent x (1 - rate).
year_on_year: the rent of year N is at most the rent of year N-1 x (1 - rate).
Targets are whole NT$, rounded down: target = floor(reference x (100 - rate) / 100), computed
in integers over the rate's exact ratio so that a rate such as 7.5 (15/2) is exact. A rent
meets the target exactly when it is at most the exact product, since rents are whole dollars.

The reference rent is the whole rent the office paid in the reference year, over all its leases.
An office was in rented space for only part of the reference year when its first lease began
after 1 January, a gap lay between two leases, or it moved out during the year. How such a part
year counts is part of the rule (`PartYear`, a column of `rent_mandates`): by default the rent
is annualised by days (rent / days in rented space x days in the year); the other reading
leaves the office without a baseline. An office not in rented space at all in the reference
year has no baseline. An office that left rented space (moved to an owned or borrowed building,
or closed) is `ended`: the rent it no longer pays counts as reduction, so a move in mid-year
counts the rent avoided for the rest of that year.

The days an office spent in rented space come from its leases' dates (`leased_periods`): a lease
runs from its start to the day it ended (`ended_on`), else to its end date when a later lease
follows, else until the office leaves rented space (a lease past its end date with no later one
is held over)."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from functools import cache
from typing import NamedTuple

from facilities.core.money import divide_half_away, pct
from facilities.core.roc import roc_year

ONE_DAY = timedelta(days=1)


class Mode(StrEnum):
    one_off = "one_off"
    year_on_year = "year_on_year"


class RenewalOption(StrEnum):
    """What a lease says of its renewal."""

    none = "none"
    option_to_renew = "option_to_renew"
    automatic = "automatic"


class PartYear(StrEnum):
    """How a reference year the office was in rented space for only part of counts."""

    annualise = "annualise"
    exclude = "exclude"


PART_YEAR_TEXT = {
    "annualise": (
        "A reference year spent only in part in rented space is annualised by days: its rent / "
        "days in rented space x days in the year, to the dollar (half away from zero); an "
        "office not in rented space in the reference year has no baseline.",
        "基準年度僅部分期間租用者，按租用日數換算全年租金（該年度租金÷租用日數×全年日數，"
        "元以下四捨五入）；基準年度未租用者無基準年租金",
    ),
    "exclude": (
        "A reference year spent only in part in rented space gives no baseline: the office is "
        "listed without one.",
        "基準年度僅部分期間租用者不列基準，列為無基準年租金",
    ),
}


class Status(StrEnum):
    met = "met"
    not_met = "not_met"
    no_baseline = "no_baseline"
    ended = "ended"

    @property
    def zh(self) -> str:
        return STATUS_ZH[self]  # a member is its str: no `.value`, slow on Python 3.11

    @property
    def en(self) -> str:
        return STATUS_EN[self]

    @property
    def label(self) -> str:
        """Chinese first, the English words beside it: 未達成 not met."""
        return f"{STATUS_ZH[self]} {STATUS_EN[self]}"


STATUS_ZH = {"met": "達成", "not_met": "未達成", "no_baseline": "無基準年租金",
             "ended": "已遷出租賃廳舍"}  # fmt: skip
STATUS_EN = {"met": "met", "not_met": "not met", "no_baseline": "no baseline",
             "ended": "left rented space"}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    baseline_fiscal_year: int = 2013
    rate_pct: Decimal = Decimal(10)
    mode: Mode = Mode.one_off
    part_year: PartYear = PartYear.annualise

    def reference_year(self, fiscal_year: int) -> int:
        """The year whose rent the target is cut from."""
        return self.baseline_fiscal_year if self.mode is Mode.one_off else fiscal_year - 1

    @property
    def rate_text(self) -> str:
        """10 for 10.00, 7.5 for 7.50."""
        return format(self.rate_pct.normalize(), "f")

    def describe(self) -> str:
        """The rule in English, how part years count included."""
        if self.mode is Mode.one_off:
            cut = (
                f"Rent of each office in a fiscal year at most its FY{self.baseline_fiscal_year}"
                f" rent less {self.rate_text}% (one-off cut against the baseline year)."
            )
        else:
            cut = (
                f"Rent of each office in a fiscal year at most its previous year's rent less "
                f"{self.rate_text}% (cut again every year after FY{self.baseline_fiscal_year})."
            )
        return f"{cut} {self.part_year_text}"

    def describe_zh(self) -> str:
        """The rule in Chinese, how part years count included."""
        base_roc = roc_year(self.baseline_fiscal_year)
        if self.mode is Mode.one_off:
            cut = f"各廳舍年租金不得高於{base_roc}年度租金減少{self.rate_text}%（一次性降低）"
        else:
            cut = (f"各廳舍年租金不得高於前一年度租金減少{self.rate_text}%"
                   f"（{base_roc}年度後逐年降低）")  # fmt: skip
        return f"{cut}；{self.part_year_text_zh}"

    @property
    def part_year_text(self) -> str:
        return PART_YEAR_TEXT[self.part_year][0]

    @property
    def part_year_text_zh(self) -> str:
        return PART_YEAR_TEXT[self.part_year][1]


def target_rent(reference_rent: int, rate_pct: Decimal) -> int:
    """reference x (100 - rate) / 100, rounded down to the whole NT$."""
    top, bottom = rate_pct.as_integer_ratio()
    return reference_rent * (100 * bottom - top) // (100 * bottom)


Period = tuple[date, date | None]
"""A span in rented space: its first and last day (None: not ended)."""


class Office(NamedTuple):
    """One leased office: its rent paid by fiscal year, and whether it has left rented space.
    (A named tuple, as immutable as a frozen dataclass and several times cheaper to build: the
    100x report makes thousands.)"""

    site_code: str
    name: str
    name_zh: str
    county: str
    county_zh: str
    rents: dict[int, int]
    contracted_rent: int | None = None
    """What the current lease contracts for a year: the actual rent of a year not yet paid."""
    left_rented_space_in: int | None = None
    """The fiscal year in which the office moved out of rented space, if it did."""
    periods: tuple[Period, ...] | None = None
    """The spans the office spent in rented space, in order and apart (`leased_periods`).
    None: no dates known, in rented space every day until the year it left."""


@cache  # called for every office and year of a report: a lookup, not two calls
def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def leased_periods(
    leases: Iterable[tuple[date, date, date | None]], left_on: date | None = None
) -> tuple[Period, ...]:
    """The spans in rented space from an office's leases, each (start, end date, ended_on):
    a lease runs to the day it ended, else to its end date when a later lease follows, else
    on (held over). `left_on`, the first day out of rented space (moved or closed), ends every
    span. Spans that overlap or touch are one (merged in the same pass, in start order)."""
    ordered = sorted(leases)
    final = len(ordered) - 1
    spans: list[Period] = []
    for n, (start, end, ended_on) in enumerate(ordered):
        if left_on is not None and start >= left_on:
            break  # in start order: the leases after it begin later still
        last = ended_on or (end if n < final else None)
        if left_on is not None and (last is None or last >= left_on):
            last = left_on - ONE_DAY
        if spans and (spans[-1][1] is None or start <= spans[-1][1] + ONE_DAY):
            before = spans[-1][1]
            spans[-1] = (spans[-1][0], None if None in (before, last) else max(before, last))
        else:
            spans.append((start, last))
    return tuple(spans)


def days_leased(office: Office, year: int) -> int:
    """Days the office spent in rented space in a year (none after the year it left)."""
    left = office.left_rented_space_in
    if left is not None and year > left:
        return 0
    if office.periods is None:
        return days_in_year(year)
    days = 0
    for start, end in office.periods:  # by years first: dates built only for a part year
        if start.year < year and (end is None or end.year > year):
            days += days_in_year(year)
        elif start.year <= year and (end is None or end.year >= year):
            first = start if start.year == year else date(year, 1, 1)
            last = end if end is not None and end.year == year else date(year, 12, 31)
            days += max(0, (last - first).days + 1)
    return days


def annual_rent(office: Office, fiscal_year: int, closed: bool = True) -> tuple[int, str]:
    """What the office pays in rent in a fiscal year, and on what basis:
    - "paid": the rent recorded for a year closed on the report's date;
    - "contracted": the rent recorded for a year not yet closed (its contracted rent), or, with
      none recorded, the lease's contracted annual rent for the days in rented space;
    - "none": not a day in rented space that year (it has left, or not yet come)."""
    if fiscal_year in office.rents:
        return office.rents[fiscal_year], "paid" if closed else "contracted"
    days = days_leased(office, fiscal_year)
    if not days:
        return 0, "none"
    whole = days_in_year(fiscal_year)
    return divide_half_away((office.contracted_rent or 0) * days, whole), "contracted"


class Baseline(NamedTuple):
    rent_ntd: int | None
    """The reference rent the target is cut from: the year's rent, or annualised; None: none."""
    paid_ntd: int | None
    """The rent recorded for the reference year."""
    days: int
    """Days in rented space in the reference year."""
    basis: str
    basis_zh: str


def baseline(office: Office, rule: Rule, year: int) -> Baseline:
    """The office's reference rent in `year`: a full year's as it is, a part year's by the rule."""
    paid, days, whole = office.rents.get(year), days_leased(office, year), days_in_year(year)
    if not days:
        return Baseline(None, paid, 0, f"not in rented space in FY{year}",
                        f"{roc_year(year)}年度未租用")  # fmt: skip
    if paid is None:
        return Baseline(None, None, days, f"no rent recorded for FY{year}",
                        f"{roc_year(year)}年度無租金紀錄")  # fmt: skip
    if days >= whole:
        return Baseline(paid, paid, days, "full year", "全年")
    if rule.part_year is PartYear.exclude:
        return Baseline(None, paid, days, f"part year ({days} days): not counted",
                        f"僅租用{days}日，不列基準")  # fmt: skip
    annualised = divide_half_away(paid * whole, days)
    return Baseline(annualised, paid, days, f"annualised from {days} days",
                    f"依{days}日換算全年")  # fmt: skip


class Assessment(NamedTuple):
    site_code: str
    name: str
    name_zh: str
    county: str
    county_zh: str
    reference_fiscal_year: int
    baseline_rent_ntd: int | None
    target_rent_ntd: int | None
    actual_rent_ntd: int
    actual_basis: str
    """"paid", "contracted" or "none", as `annual_rent` says."""
    reduction_ntd: int | None
    reduction_pct: float | None
    status: Status
    baseline_basis: str = "full year"
    """"full year", "annualised from N days", or why there is no baseline."""
    baseline_basis_zh: str = "全年"
    reference_rent_paid_ntd: int | None = None
    """The rent recorded for the reference year, before any annualising."""
    reference_days_leased: int = 0
    days_leased: int = 0
    """Days in rented space in the report's fiscal year."""


def assess(office: Office, rule: Rule, fiscal_year: int, closed: bool = True) -> Assessment:
    """One office against the rule in a fiscal year; `closed`: the year is over on the report's
    date, so its recorded rent is rent paid."""
    reference_year = rule.reference_year(fiscal_year)
    ended = office.left_rented_space_in is not None and office.left_rented_space_in <= fiscal_year
    actual, basis = annual_rent(office, fiscal_year, closed)
    base = baseline(office, rule, reference_year)
    if base.rent_ntd is None:
        target = reduction = share = None
        status = Status.ended if ended else Status.no_baseline
    else:
        target = target_rent(base.rent_ntd, rule.rate_pct)
        reduction = base.rent_ntd - actual
        share = pct(reduction, base.rent_ntd) if base.rent_ntd else 0.0
        status = Status.ended if ended else (Status.met if actual <= target else Status.not_met)
    return Assessment(
        office.site_code, office.name, office.name_zh, office.county, office.county_zh,
        reference_year, base.rent_ntd, target, actual, basis, reduction, share, status,
        base.basis, base.basis_zh, base.paid_ntd, base.days, days_leased(office, fiscal_year),
    )  # fmt: skip


@dataclass(frozen=True)
class Totals:
    offices: int
    baseline_rent_ntd: int
    target_rent_ntd: int
    actual_rent_ntd: int
    savings_ntd: int
    """Baseline less actual, over the offices that have a baseline (ended ones included)."""
    counts: dict[str, int] = field(default_factory=dict)
    met_or_ended: int = 0
    assessed: int = 0
    """Offices with a baseline: those the mandate can be checked on."""
    share_met_pct: float = 0.0
    """Offices that met the target or left rented space, as a share of those assessed."""


def totals(rows: Iterable[Assessment]) -> Totals:
    rows = list(rows)
    assessed = [r for r in rows if r.baseline_rent_ntd is not None]
    found = Counter(r.status for r in rows)
    counts = {s.value: found[s] for s in Status}
    met = counts["met"] + sum(1 for r in assessed if r.status is Status.ended)
    return Totals(
        offices=len(rows),
        baseline_rent_ntd=sum(r.baseline_rent_ntd for r in assessed),
        target_rent_ntd=sum(r.target_rent_ntd for r in assessed),
        actual_rent_ntd=sum(r.actual_rent_ntd for r in assessed),
        savings_ntd=sum(r.reduction_ntd for r in assessed),
        counts=counts,
        met_or_ended=met,
        assessed=len(assessed),
        share_met_pct=pct(met, len(assessed)) if assessed else 0.0,
    )


def report_year(rent_years: Iterable[int], asked: int | None, today: date) -> tuple[int, str]:
    """The fiscal year a report is for: the one asked for, else the latest with rent recorded
    up to the product's year, and a note saying so when that is not the current year. None
    when no rent is recorded at all."""
    if asked is not None:
        return asked, ""
    years = sorted(y for y in set(rent_years) if y <= today.year)
    if not years:
        raise LookupError(f"No rent is recorded up to FY{today.year}.")
    year = years[-1]
    if year == today.year:
        return year, ""
    return year, (
        f"{roc_year(year + 1)}年度以後尚無租金資料，本表為有資料之最近年度"
        f"（{roc_year(year)}年度） · "
        f"No rent is recorded after FY{year}: this is FY{year}, the latest fiscal year with "
        "rent recorded."
    )
