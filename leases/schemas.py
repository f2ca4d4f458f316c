"""What the lease API reads and answers."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from facilities.core.money import Money
from facilities.core.roc import roc_year
from facilities.sites.rules import Provenance
from facilities.sites.schemas import SiteCode, Text
from leases.files import rent_names, rent_statement, rounding_differences
from leases.models import Lease, LeaseRent
from leases.rules import Assessment, RenewalOption, Status
from leases.services import RentReport

Area = Annotated[int, Meta(gt=0, le=1_000_000)]
NoticeDays = Annotated[int, Meta(ge=0, le=3650)]


class LeaseOut(msgspec.Struct):
    id: int
    site_code: str
    site_name: str
    site_name_zh: str
    county: str
    landlord: str
    start_date: date
    end_date: date
    notice_days: int
    notice_date: date
    renewal_option: str
    leased_floor_area_m2: int
    contracted_annual_rent_ntd: int
    ended_on: date | None
    provenance: str
    updated_at: datetime
    days_to_end: int
    days_to_notice: int
    etag: str


class RentOut(msgspec.Struct):
    fiscal_year: int
    fiscal_year_roc: int
    rent_ntd: int
    provenance: str
    etag: str


class LeaseDetail(LeaseOut):
    rents: list[RentOut] = []


class LeaseCreate(msgspec.Struct, forbid_unknown_fields=True):
    site_code: SiteCode
    landlord: Text
    start_date: date
    end_date: date
    leased_floor_area_m2: Area
    contracted_annual_rent_ntd: Money
    notice_days: NoticeDays = 90
    renewal_option: RenewalOption = RenewalOption.none
    ended_on: date | None = None
    provenance: Provenance = Provenance.illustrative


class LeasePatch(msgspec.Struct, forbid_unknown_fields=True):
    landlord: Text | UnsetType = UNSET
    start_date: date | UnsetType = UNSET
    end_date: date | UnsetType = UNSET
    leased_floor_area_m2: Area | UnsetType = UNSET
    contracted_annual_rent_ntd: Money | UnsetType = UNSET
    notice_days: NoticeDays | UnsetType = UNSET
    renewal_option: RenewalOption | UnsetType = UNSET
    ended_on: date | None | UnsetType = UNSET
    provenance: Provenance | UnsetType = UNSET


class RentIn(msgspec.Struct, forbid_unknown_fields=True):
    rent_ntd: Money


class RuleOut(msgspec.Struct):
    mode: str
    baseline_fiscal_year: int
    baseline_fiscal_year_roc: int
    rate_pct: float
    description: str
    description_zh: str
    part_year: str
    """How a reference year spent only in part in rented space counts: annualise or exclude."""
    part_year_description: str
    part_year_description_zh: str


class RentRowOut(msgspec.Struct):
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
    reduction_ntd: int | None
    reduction_pct: float | None
    status: str
    status_zh: str
    status_label: str
    """Chinese with the English words beside it: 未達成 not met."""
    baseline_basis: str
    """"full year", "annualised from N days", or why there is no baseline."""
    baseline_basis_zh: str
    reference_rent_paid_ntd: int | None
    """The rent recorded for the reference year, before any annualising."""
    reference_days_leased: int
    days_leased: int
    """Days in rented space in the report's fiscal year."""


class RentTotalsOut(msgspec.Struct):
    offices: int
    assessed: int
    baseline_rent_ntd: int
    target_rent_ntd: int
    actual_rent_ntd: int
    savings_ntd: int
    met: int
    not_met: int
    no_baseline: int
    ended: int
    met_or_ended: int
    share_met_pct: float


class RentColumnOut(msgspec.Struct):
    """What the rent column holds on the report's date."""

    basis: str
    """"paid" for a closed fiscal year, "contracted" for one not yet closed."""
    label: str
    label_zh: str
    statement: str


class RentReportOut(msgspec.Struct):
    fiscal_year: int
    fiscal_year_roc: int
    generated_on: date
    rule: RuleOut
    rent_column: RentColumnOut
    rows: list[RentRowOut]
    totals: RentTotalsOut
    year_note: str
    """Why this year, when it was not asked for: the latest with rent recorded."""
    thousands_differ: list[str]
    """The NT$-thousand columns whose rounded rows do not add up to the rounded total (the
    files then carry the note 因四捨五入，總數與細數之和容有未合)."""


def lease_out(lease: Lease, today: date, detail: bool = False) -> LeaseOut:
    notice = lease.notice_date
    fields = dict(
        id=lease.id, site_code=lease.site.code, site_name=lease.site.name,
        site_name_zh=lease.site.name_zh, county=lease.site.county.name, landlord=lease.landlord,
        start_date=lease.start_date, end_date=lease.end_date, notice_days=lease.notice_days,
        notice_date=notice, renewal_option=lease.renewal_option,
        leased_floor_area_m2=lease.leased_floor_area_m2,
        contracted_annual_rent_ntd=lease.contracted_annual_rent_ntd, ended_on=lease.ended_on,
        provenance=lease.provenance, updated_at=lease.updated_at,
        days_to_end=(lease.end_date - today).days, days_to_notice=(notice - today).days,
        etag=lease.etag,
    )  # fmt: skip
    if not detail:
        return LeaseOut(**fields)
    rents = [rent_out(r) for r in lease.rents]
    return LeaseDetail(**fields, rents=rents)


def rent_out(r: LeaseRent) -> RentOut:
    return RentOut(r.fiscal_year, roc_year(r.fiscal_year), r.rent_ntd, r.provenance, r.etag)


def rule_out(report: RentReport) -> RuleOut:
    rule = report.rule
    return RuleOut(
        rule.mode.value, rule.baseline_fiscal_year, roc_year(rule.baseline_fiscal_year),
        float(rule.rate_pct), rule.describe(), rule.describe_zh(), rule.part_year.value,
        rule.part_year_text, rule.part_year_text_zh,
    )  # fmt: skip


STATUS_WORDS = {status: (status.zh, status.label) for status in Status}


def row_out(r: Assessment) -> RentRowOut:
    """An office's row: the assessment's fields in order, the status's words after it. (Unpacked,
    not read by name: the 100x report builds thousands, and this costs a third as much.)"""
    (code, name, name_zh, county, county_zh, reference_year, baseline, target, actual,
     basis, reduction, share, status, baseline_basis, baseline_basis_zh, paid, reference_days,
     days) = r  # fmt: skip
    return RentRowOut(code, name, name_zh, county, county_zh, reference_year, baseline, target,
                      actual, basis, reduction, share, status, *STATUS_WORDS[status],
                      baseline_basis, baseline_basis_zh, paid, reference_days, days)  # fmt: skip


def report_out(report: RentReport) -> RentReportOut:
    t = report.totals
    zh, en = rent_names(report)
    return RentReportOut(
        fiscal_year=report.fiscal_year,
        fiscal_year_roc=roc_year(report.fiscal_year),
        generated_on=report.generated_on,
        rule=rule_out(report),
        rent_column=RentColumnOut("paid" if report.closed else "contracted", en, zh,
                                  rent_statement(report)),  # fmt: skip
        rows=[row_out(r) for r in report.rows],
        thousands_differ=rounding_differences(report),
        totals=RentTotalsOut(
            offices=t.offices, assessed=t.assessed, baseline_rent_ntd=t.baseline_rent_ntd,
            target_rent_ntd=t.target_rent_ntd, actual_rent_ntd=t.actual_rent_ntd,
            savings_ntd=t.savings_ntd, met=t.counts["met"], not_met=t.counts["not_met"],
            no_baseline=t.counts["no_baseline"], ended=t.counts["ended"],
            met_or_ended=t.met_or_ended, share_met_pct=t.share_met_pct,
        ),
        year_note=report.year_note,
    )  # fmt: skip
