"""What the lease API reads and answers."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from facilities.schemas import SiteCode, Text
from facilities.vocabulary import Provenance

Money = Annotated[int, Meta(ge=0, le=10**12, description="Whole NT$")]
Area = Annotated[int, Meta(gt=0, le=1_000_000)]
NoticeDays = Annotated[int, Meta(ge=0, le=3650)]
FiscalYear = Annotated[int, Meta(ge=1990, le=2100)]


class RenewalOption(StrEnum):
    none = "none"
    option_to_renew = "option_to_renew"
    automatic = "automatic"


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


class RentOut(msgspec.Struct):
    fiscal_year: int
    fiscal_year_roc: int
    rent_ntd: int
    provenance: str


class LeaseDetail(LeaseOut):
    rents: list[RentOut] = []


class LeasePage(msgspec.Struct):
    items: list[LeaseOut]
    total: int
    limit: int
    offset: int


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


class RentReportOut(msgspec.Struct):
    fiscal_year: int
    fiscal_year_roc: int
    generated_on: date
    rule: RuleOut
    rows: list[RentRowOut]
    totals: RentTotalsOut


class ReplacedOfficeOut(msgspec.Struct):
    site_code: str
    name: str
    name_zh: str
    ownership: str
    annual_rent_ntd: int
    basis: str


class CenterSavingsOut(msgspec.Struct):
    center_key: str
    name: str
    name_zh: str
    county: str
    county_zh: str
    note: str
    provenance: str
    offices: list[ReplacedOfficeOut]
    annual_rent_avoided_ntd: int


class RelocationSavingsOut(msgspec.Struct):
    fiscal_year: int
    fiscal_year_roc: int
    as_of: date
    basis: str
    centers: list[CenterSavingsOut]
    total_annual_rent_avoided_ntd: int
    offices_replaced: int
