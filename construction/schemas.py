"""What the construction API reads and answers."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

Percent = Annotated[float, Meta(ge=0, le=100)]
Money = Annotated[int, Meta(ge=0, le=10**12, description="Whole NT$")]


class ScheduleName(StrEnum):
    programme_window = "programme_window"
    contract = "contract"


class EarnedValueOut(msgspec.Struct):
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


class BurnOut(msgspec.Struct):
    project_code: str
    as_of: date
    schedule_basis: str
    schedule_days: str
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
    earned_value: EarnedValueOut
    earned_schedule_days: float
    spi_t: float | None
    forecast_finish: date
    status: str
    reasons: list[str]


class BudgetLineOut(msgspec.Struct):
    first_year: int
    last_year: int
    label: str
    appropriated_ntd: int
    committed_ntd: int
    spent_ntd: int
    note: str
    provenance: str


class ProjectOut(msgspec.Struct):
    code: str
    name: str
    name_zh: str
    kind: str
    county: str
    county_zh: str
    location: str
    budget_total_ntd: int
    planned_start: date
    planned_finish: date
    contract_start: date | None
    contract_days: int | None
    contract_basis: str
    sites_becoming_owned: list[str]
    new_sites: int
    lease_center_key: str | None
    provenance: str


class ProjectDetail(ProjectOut):
    budget_lines: list[BudgetLineOut] = []
    burn: BurnOut | None = None


class ProjectHeadline(msgspec.Struct):
    code: str
    name: str
    name_zh: str
    budget_total_ntd: int
    status: str
    reasons: list[str]
    schedule_used_pct: float
    work_done_pct: float
    budget_burn_pct: float
    spi_t: float | None
    cpi: float | None
    forecast_finish: date
    planned_finish: date


class ProjectList(msgspec.Struct):
    as_of: date
    items: list[ProjectHeadline]


class MilestoneOut(msgspec.Struct):
    id: int
    project_code: str
    package_code: str
    package_name: str
    name: str
    name_zh: str
    planned_date: date
    forecast_date: date | None
    actual_date: date | None
    percent_complete: float
    status: str
    note: str
    etag: str
    updated_at: datetime


class MilestonePatch(msgspec.Struct, forbid_unknown_fields=True):
    percent_complete: Percent | UnsetType = UNSET
    forecast_date: date | None | UnsetType = UNSET
    actual_date: date | None | UnsetType = UNSET
    note: Annotated[str, Meta(max_length=1000)] | UnsetType = UNSET


class ChangeOut(msgspec.Struct):
    at: datetime
    actor: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class ProgressIn(msgspec.Struct, forbid_unknown_fields=True):
    data_date: date
    percent_complete: Percent
    spent_to_date_ntd: Money
    reason: Annotated[str, Meta(max_length=1000)] | None = None
    override_appropriation: bool = False
    override_reason: Annotated[str, Meta(max_length=500)] | None = None


class ProgressOut(msgspec.Struct):
    data_date: date
    percent_complete: float
    spent_to_date_ntd: int
    planned_pct: float
    reason: str
    over_appropriation: bool


class ProgressFiled(msgspec.Struct):
    report: ProgressOut
    burn: BurnOut


class BudgetLinePatch(msgspec.Struct, forbid_unknown_fields=True):
    committed_ntd: Money | UnsetType = UNSET
    spent_ntd: Money | UnsetType = UNSET
    override_appropriation: bool = False
    override_reason: Annotated[str, Meta(max_length=500)] | None = None
