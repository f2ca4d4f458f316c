"""What the construction API reads and answers."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

import msgspec
from msgspec import UNSET, Meta, UnsetType

from construction import services
from construction.files import relocation_basis
from construction.models import BudgetLine, Milestone, ProgressReport, Project
from construction.rules import Burn, planned_pct
from facilities.audit.models import AuditEntry
from facilities.core.money import Money
from facilities.core.paging import Page
from facilities.core.roc import fiscal_year_label, roc_year

Percent = Annotated[float, Meta(ge=0, le=100)]


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
    eac_at_budget_rate: int
    eac_cost_and_schedule: int | None
    etc: int | None
    vac: int | None
    tcpi: float | None
    tcpi_eac: float | None
    tcpi_note: str | None


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
    sv_t_days: float
    forecast_finish: date
    forecast_basis: str
    status: str
    reasons: list[str]


class BudgetLineOut(msgspec.Struct):
    first_year: int
    last_year: int
    label: str
    appropriated_ntd: int
    committed_ntd: int
    spent_ntd: int
    spent_basis: str
    note: str
    provenance: str
    etag: str


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


class ProjectList(Page[ProjectHeadline]):
    as_of: date


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
    etag: str


class ProgressCorrection(msgspec.Struct, forbid_unknown_fields=True):
    """Only the figures sent change; `correction_reason` says why, for the audit trail."""

    correction_reason: Annotated[str, Meta(min_length=1, max_length=500)]
    percent_complete: Percent | UnsetType = UNSET
    spent_to_date_ntd: Money | UnsetType = UNSET
    reason: Annotated[str, Meta(max_length=1000)] | UnsetType = UNSET


class ProgressFiled(msgspec.Struct):
    report: ProgressOut
    burn: BurnOut


class BudgetLinePatch(msgspec.Struct, forbid_unknown_fields=True):
    committed_ntd: Money | UnsetType = UNSET
    spent_ntd: Money | UnsetType = UNSET
    override_appropriation: bool = False
    override_reason: Annotated[str, Meta(max_length=500)] | None = None


def burn_out(code: str, b: Burn) -> BurnOut:
    fields = {f.name: getattr(b, f.name) for f in dataclasses.fields(b)}
    fields["earned_value"] = EarnedValueOut(**dataclasses.asdict(b.earned_value))
    return BurnOut(project_code=code, **fields)


def project_out(p: Project, detail: Burn | None = None) -> ProjectOut:
    fields = dict(
        code=p.code, name=p.name, name_zh=p.name_zh, kind=p.kind, county=p.county.name,
        county_zh=p.county.name_zh, location=p.location, budget_total_ntd=p.budget_total_ntd,
        planned_start=p.planned_start, planned_finish=p.planned_finish,
        contract_start=p.contract_start, contract_days=p.contract_days,
        contract_basis=p.contract_basis, sites_becoming_owned=sorted(s.site.code for s in p.sites),
        new_sites=p.new_sites, lease_center_key=p.lease_center_key, provenance=p.provenance,
    )  # fmt: skip
    if detail is None:
        return ProjectOut(**fields)
    spending = services.line_spending(p)
    lines = [budget_line_out(x, *spending[x.first_year]) for x in p.budget_lines]
    return ProjectDetail(**fields, budget_lines=lines, burn=burn_out(p.code, detail))


def budget_line_out(x: BudgetLine, spent: int, spent_basis: str) -> BudgetLineOut:
    """`spent`: from one record, the monthly reports where they cover the line's years."""
    return BudgetLineOut(x.first_year, x.last_year, fiscal_year_label(x.first_year, x.last_year),
                         x.appropriated_ntd, x.committed_ntd, spent, spent_basis, x.note,
                         x.provenance, x.etag)  # fmt: skip


def headline_out(h: services.Headline) -> ProjectHeadline:
    b = h.burn
    return ProjectHeadline(h.project.code, h.project.name, h.project.name_zh,
                           h.project.budget_total_ntd, b.status, b.reasons, b.schedule_used_pct,
                           b.work_done_pct, b.budget_burn_pct, b.spi_t, b.earned_value.cpi,
                           b.forecast_finish, b.planned_finish)  # fmt: skip


def change_out(e: AuditEntry) -> ChangeOut:
    return ChangeOut(e.at, e.actor, e.before, e.after)


def milestone_out(m: Milestone, today: date) -> MilestoneOut:
    package = m.package
    return MilestoneOut(
        id=m.id, project_code=package.project.code, package_code=package.code,
        package_name=package.name, name=m.name, name_zh=m.name_zh, planned_date=m.planned_date,
        forecast_date=m.forecast_date, actual_date=m.actual_date,
        percent_complete=m.percent_complete, status=services.milestone_status(m, today),
        note=m.note, etag=m.etag, updated_at=m.updated_at,
    )  # fmt: skip


def progress_out(project: Project, r: ProgressReport) -> ProgressOut:
    planned = planned_pct(services.schedule_of(project), r.data_date)
    return ProgressOut(r.data_date, r.percent_complete, r.spent_to_date_ntd, planned, r.reason,
                       r.over_appropriation, r.etag)  # fmt: skip


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
    project_codes: list[str]
    cost_ntd: int | None
    """The total budget of the construction projects that build the center, to the dollar."""
    cost_provenance: str
    payback_years: float | None
    """Cost / annual rent avoided, to one decimal; null when it saves no rent."""


class RelocationSavingsOut(msgspec.Struct):
    fiscal_year: int
    fiscal_year_roc: int
    as_of: date
    basis: str
    basis_zh: str
    centers: list[CenterSavingsOut]
    total_annual_rent_avoided_ntd: int
    offices_replaced: int
    total_cost_ntd: int
    payback_years: float | None
    """Every known cost over the rent those centers save a year."""
    year_note: str = ""
    """Why this year, when it was not asked for: the latest with rent recorded."""


def center_savings_out(case: services.CenterCase) -> CenterSavingsOut:
    c, saved = case.savings.center, case.savings
    offices = [ReplacedOfficeOut(o.site_code, o.name, o.name_zh, o.ownership, o.annual_rent_ntd,
                                 o.basis) for o in saved.offices]  # fmt: skip
    return CenterSavingsOut(
        c.key, c.name, c.name_zh, c.county.name, c.county.name_zh, c.note, c.provenance, offices,
        saved.annual_rent_avoided_ntd, case.project_codes, case.cost_ntd, case.provenance,
        case.payback_years,
    )  # fmt: skip


def relocation_out(report: services.RelocationReport) -> RelocationSavingsOut:
    basis_zh, basis = relocation_basis(report)
    return RelocationSavingsOut(
        fiscal_year=report.fiscal_year, fiscal_year_roc=roc_year(report.fiscal_year),
        as_of=report.as_of, basis=basis, basis_zh=basis_zh,
        centers=[center_savings_out(c) for c in report.centers],
        total_annual_rent_avoided_ntd=report.rent_avoided_ntd,
        offices_replaced=report.offices_replaced, total_cost_ntd=report.cost_ntd,
        payback_years=report.payback_years, year_note=report.year_note,
    )  # fmt: skip
