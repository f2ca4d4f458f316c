"""The Legislative Yuan's rent-reduction mandate as pure rules over plain data.

one_off:      the rent of year N is at most the baseline year's rent x (1 - rate).
year_on_year: the rent of year N is at most the rent of year N-1 x (1 - rate).
Targets are whole NT$, rounded down: target = floor(reference x (100 - rate) / 100), computed
with Decimal so that a rate such as 7.5 is exact. A rent meets the target exactly when it is at
most the exact product, since rents are whole dollars.

The reference rent is the whole rent the office paid in the reference year, over all its leases.
An office rented for only part of the reference year (its first lease began after 1 January of
that year) has no full-year reference: it is reported as no_baseline, not compared with a
part-year rent. An office that left rented space (moved to an owned or borrowed building, or
closed) is `ended`: the rent it no longer pays counts as reduction."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from facilities.core.roc import roc_year


class Mode(StrEnum):
    one_off = "one_off"
    year_on_year = "year_on_year"


class Status(StrEnum):
    met = "met"
    not_met = "not_met"
    no_baseline = "no_baseline"
    ended = "ended"

    @property
    def zh(self) -> str:
        return STATUS_ZH[self]  # a member is its str: no `.value`, slow on Python 3.11


STATUS_ZH = {"met": "達成", "not_met": "未達成", "no_baseline": "無基準年租金",
             "ended": "已遷出租賃廳舍"}  # fmt: skip


@dataclass(frozen=True)
class Rule:
    baseline_fiscal_year: int = 2013
    rate_pct: Decimal = Decimal(10)
    mode: Mode = Mode.one_off

    def reference_year(self, fiscal_year: int) -> int:
        """The year whose rent the target is cut from."""
        return self.baseline_fiscal_year if self.mode is Mode.one_off else fiscal_year - 1

    @property
    def rate_text(self) -> str:
        """10 for 10.00, 7.5 for 7.50."""
        return format(self.rate_pct.normalize(), "f")

    def describe(self) -> str:
        if self.mode is Mode.one_off:
            return (
                f"Rent of each office in a fiscal year at most its FY{self.baseline_fiscal_year}"
                f" rent less {self.rate_text}% (one-off cut against the baseline year)."
            )
        return (
            f"Rent of each office in a fiscal year at most its previous year's rent less "
            f"{self.rate_text}% (cut again every year after FY{self.baseline_fiscal_year})."
        )

    def describe_zh(self) -> str:
        base_roc = roc_year(self.baseline_fiscal_year)
        if self.mode is Mode.one_off:
            return f"各廳舍年租金不得高於{base_roc}年度租金減少{self.rate_text}%（一次性降低）"
        return f"各廳舍年租金不得高於前一年度租金減少{self.rate_text}%（{base_roc}年度後逐年降低）"


def target_rent(reference_rent: int, rate_pct: Decimal) -> int:
    """reference x (100 - rate) / 100, rounded down to the whole NT$."""
    return int(reference_rent * (Decimal(100) - rate_pct) // Decimal(100))


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
    rented_from: date | None = None
    """The start of the office's first lease."""


def annual_rent(office: Office, fiscal_year: int) -> tuple[int, str]:
    """What the office pays in rent in a fiscal year, and on what basis: "paid" (the year's rent
    rows), "none" (it has left rented space) or "contracted" (its lease's annual rent)."""
    if fiscal_year in office.rents:
        return office.rents[fiscal_year], "paid"
    if office.left_rented_space_in is not None and office.left_rented_space_in <= fiscal_year:
        return 0, "none"
    return office.contracted_rent or 0, "contracted"


def full_year_rent(office: Office, fiscal_year: int) -> int | None:
    """The office's rent in a year it was rented from 1 January, else None."""
    if office.rented_from is not None and office.rented_from > date(fiscal_year, 1, 1):
        return None
    return office.rents.get(fiscal_year)


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
    """"paid" (rent rows), "contracted" (the lease's annual rent) or "none" (left rented space)."""
    reduction_ntd: int | None
    reduction_pct: float | None
    status: Status


def assess(office: Office, rule: Rule, fiscal_year: int) -> Assessment:
    reference_year = rule.reference_year(fiscal_year)
    ended = office.left_rented_space_in is not None and office.left_rented_space_in <= fiscal_year
    actual, basis = annual_rent(office, fiscal_year)
    baseline = full_year_rent(office, reference_year)
    if baseline is None:
        target = reduction = pct = None
        status = Status.ended if ended else Status.no_baseline
    else:
        target = target_rent(baseline, rule.rate_pct)
        reduction = baseline - actual
        pct = round(reduction * 100 / baseline, 1) if baseline else 0.0
        status = Status.ended if ended else (Status.met if actual <= target else Status.not_met)
    return Assessment(
        office.site_code, office.name, office.name_zh, office.county, office.county_zh,
        reference_year, baseline, target, actual, basis, reduction, pct, status,
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
    counts = {s.value: sum(1 for r in rows if r.status is s) for s in Status}
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
        share_met_pct=round(met * 100 / len(assessed), 1) if assessed else 0.0,
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
