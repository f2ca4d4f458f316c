"""Construction projects' service functions. They flush, never commit."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload, subqueryload

from construction import rules
from construction.models import (
    AppropriationOverride,
    BudgetLine,
    Milestone,
    ProgressReport,
    Project,
    ProjectSite,
    WorkPackage,
)
from construction.rules import Basis, day_number
from facilities.audit.models import AuditEntry
from facilities.audit.services import history, record
from facilities.core.concurrency import check_if_match
from facilities.core.db import find_one
from facilities.core.errors import (
    Conflict,
    NotFound,
    RuleViolation,
)
from facilities.core.sheets import (
    CREATED,
    Importing,
    Outcome,
    changed_names,
    differing,
    each_row,
)
from facilities.ops.agency import NOT_SET, Identity, current_agency
from facilities.sites.models import Site
from facilities.sites.services import advance_linked, counties_by_name, get_site
from leases.services import (
    CenterSavings,
    fiscal_year_for,
    offices,
    relocation_savings,
    years_of,
)

MILESTONE_FIELDS = ("percent_complete", "forecast_date", "actual_date", "note")
RAG_ORDER = {"red": 0, "amber": 1, "green": 2}


def get_project(session: Session, code: str) -> Project:
    project = session.scalar(
        select(Project).where(Project.code == code).options(
            selectinload(Project.budget_lines), selectinload(Project.progress),
            selectinload(Project.sites),
        )
    )  # fmt: skip
    if project is None:
        raise NotFound(f"No project has the code '{code}'.")
    return project


def project_row(session: Session, code: str) -> Project:
    """The project's row alone (no collections): what a service adding to it needs, in one
    statement even when a register workbook adds thousands of rows."""
    return find_one(session, Project, Project.code == code,
                    missing=f"No project has the code '{code}'.")  # fmt: skip


def schedule_of(project: Project, name: str = "programme_window") -> rules.Schedule:
    if name == "contract":
        if not project.contract_days or not project.contract_start:
            raise RuleViolation(f"project {project.code} records no contract duration")
        basis = Basis(project.contract_basis)
        finish = day_number(project.contract_start, project.contract_days, basis)
        return rules.Schedule(project.contract_start, finish, basis, "contract")
    return rules.Schedule(project.planned_start, project.planned_finish, Basis.calendar, name)


def plain_lines(project: Project) -> list[rules.BudgetLine]:
    return [
        rules.BudgetLine(
            x.first_year, x.last_year, x.appropriated_ntd, x.committed_ntd, x.spent_ntd
        )  # fmt: skip
        for x in project.budget_lines
    ]


def plain_progress(project: Project) -> list[rules.Progress]:
    return [
        rules.Progress(p.data_date, p.percent_complete, p.spent_to_date_ntd)
        for p in project.progress
    ]


def project_burn(
    project: Project, as_of: date | None, schedule: str = "programme_window"
) -> rules.Burn:
    """Burn at a date; by default at the project's latest data date (or its start)."""
    return burn_of(project, plain_lines(project), plain_progress(project), as_of, schedule)


def burn_of(
    project: Project, lines: list[rules.BudgetLine], progress: list[rules.Progress],
    as_of: date | None, schedule: str = "programme_window",
) -> rules.Burn:  # fmt: skip
    if as_of is None:
        as_of = progress[-1].data_date if progress else project.planned_start
    return rules.burn(project.budget_total_ntd, schedule_of(project, schedule), lines, progress,
                      as_of)  # fmt: skip


class SitePoint(NamedTuple):
    """A site a project makes owned, where it is."""

    code: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Headline:
    project: Project
    """The project's row (its county joined); its collections are the fields below."""
    burn: rules.Burn
    progress: list[rules.Progress]
    """Oldest first."""
    sites: list[SitePoint]


def list_projects(session: Session, as_of: date) -> list[Headline]:
    """Every project with its burn on the product's date, worst first. Its budget lines,
    progress and sites come as plain rows, one query each whatever the number of projects: at
    a ministry's 10,000 projects, ORM objects for them took most of the time."""
    projects = session.scalars(select(Project)).all()
    connection = session.connection()
    lines: dict[int, list[rules.BudgetLine]] = defaultdict(list)
    for project_id, *figures in connection.execute(
        select(BudgetLine.project_id, BudgetLine.first_year, BudgetLine.last_year,
               BudgetLine.appropriated_ntd, BudgetLine.committed_ntd, BudgetLine.spent_ntd)
        .order_by(BudgetLine.first_year)
    ):  # fmt: skip
        lines[project_id].append(rules.BudgetLine(*figures))
    progress: dict[int, list[rules.Progress]] = defaultdict(list)
    for project_id, *report in connection.execute(
        select(ProgressReport.project_id, ProgressReport.data_date,
               ProgressReport.percent_complete, ProgressReport.spent_to_date_ntd)
        .order_by(ProgressReport.data_date)
    ):  # fmt: skip
        progress[project_id].append(rules.Progress(*report))
    sites: dict[int, list[SitePoint]] = defaultdict(list)
    for project_id, *point in connection.execute(
        select(ProjectSite.project_id, Site.code, Site.lat, Site.lon)
        .join(Site, Site.id == ProjectSite.site_id).order_by(ProjectSite.id)
    ):  # fmt: skip
        sites[project_id].append(SitePoint(*point))
    heads = [
        Headline(p, burn_of(p, lines[p.id], progress[p.id], as_of), progress[p.id], sites[p.id])
        for p in projects
    ]
    return sorted(
        heads, key=lambda h: (RAG_ORDER[h.burn.status], h.burn.spi_t or 9, h.project.code)
    )


def milestones_of(session: Session, code: str) -> Sequence[Milestone]:
    project = get_project(session, code)
    return session.scalars(
        select(Milestone).join(WorkPackage).where(WorkPackage.project_id == project.id)
        .order_by(Milestone.planned_date, Milestone.id)
    ).all()  # fmt: skip


def overdue_milestones(session: Session, today: date) -> list[Milestone]:
    """Every milestone past its date and not done, the most overdue first."""
    open_ones = session.scalars(
        select(Milestone).where(Milestone.actual_date.is_(None), Milestone.percent_complete < 100)
        .order_by(Milestone.planned_date, Milestone.id)
    ).all()  # fmt: skip
    return [m for m in open_ones if milestone_status(m, today) == "overdue"]


def get_milestone(session: Session, milestone_id: int, *, for_update: bool = False) -> Milestone:
    lock = {"of": Milestone} if for_update else None  # not the joined package's row
    milestone = session.get(Milestone, milestone_id, with_for_update=lock)
    if milestone is None:
        raise NotFound(f"No milestone has the id {milestone_id}.")
    return milestone


def milestone_status(milestone: Milestone, today: date) -> str:
    if milestone.actual_date or milestone.percent_complete >= 100:
        return "complete"
    due = milestone.forecast_date or milestone.planned_date
    if milestone.planned_date < today or due < today:
        return "overdue"
    return "in_progress" if milestone.percent_complete > 0 else "not_started"


def milestone_fields(m: Milestone) -> dict[str, Any]:
    return {f: getattr(m, f) for f in MILESTONE_FIELDS}


def update_milestone(
    session: Session,
    milestone_id: int,
    changes: dict[str, Any],
    if_match: str | None,
    *,
    actor: str,
    today: date,
) -> Milestone:
    """Apply changes only if the caller saw the current version (If-Match): one writer wins.
    The row is locked first, so `If-Match: *` (any version) waits for a writer in progress
    instead of failing against it; the version counter guards the UPDATE itself."""
    milestone = get_milestone(session, milestone_id, for_update=True)
    check_if_match(milestone, if_match, "milestone", f"/api/v1/milestones/{milestone_id}")
    problems = rules.milestone_problems(milestone_fields(milestone) | changes, today)
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    before = milestone_fields(milestone)
    for name, value in changes.items():
        setattr(milestone, name, value)
    session.flush()
    changed = [k for k in MILESTONE_FIELDS if before[k] != milestone_fields(milestone)[k]]
    record(
        session, actor=actor, entity="milestone", entity_id=str(milestone_id), action="update",
        before={k: before[k] for k in changed},
        after={k: getattr(milestone, k) for k in changed},
    )  # fmt: skip
    advance_pipeline(session, milestone.package.project_id, actor=actor)
    return milestone


def advance_pipeline(session: Session, project_id: int, *, actor: str) -> list[str]:
    """Move the pipeline tracks the project carries on to the stage its milestones show
    (designed, under construction); returns the counties moved."""
    code = session.scalar(select(Project.code).where(Project.id == project_id))
    done = session.execute(
        select(WorkPackage.code, Milestone.name, Milestone.actual_date)
        .select_from(Milestone).join(Milestone.package)
        .where(WorkPackage.project_id == project_id)
    ).all()  # fmt: skip
    reached = rules.stage_reached([rules.MilestoneDone(*row) for row in done])
    if code is None or reached is None:
        return []
    stage, day, name = reached
    note = f"{code}: {name} ({day})"
    return advance_linked(session, code, stage, day, actor=actor, note=note)


def milestone_history(session: Session, milestone_id: int) -> Sequence[AuditEntry]:
    get_milestone(session, milestone_id)
    return history(session, "milestone", str(milestone_id), action="update")


def add_progress(
    session: Session, code: str, report: dict[str, Any], *, actor: str, today: date
) -> tuple[ProgressReport, rules.Burn]:
    """File a progress report, after the last one, inside the project's window; a reason is
    required when the work is behind plan, and an explicit override with its reason when
    spending passes the appropriation to date."""
    project = get_project(session, code)
    data_date = report["data_date"]
    if any(p.data_date == data_date for p in project.progress):
        raise RuleViolation(
            f"project {code} already has a report for {data_date}: correct it "
            f"(PATCH /api/v1/projects/{code}/progress/{data_date}) or withdraw it"
        )
    reason = (report.get("reason") or "").strip()
    over = _progress_checks(project, report, reason, correction=False, today=today)
    row = ProgressReport(
        project=project, data_date=data_date, percent_complete=report["percent_complete"],
        spent_to_date_ntd=report["spent_to_date_ntd"], reason=reason,
        over_appropriation=over, provenance=report.get("provenance", "illustrative"),
    )  # fmt: skip
    session.add(row)
    session.flush()
    record(session, actor=actor, entity="progress_report", entity_id=f"{code}/{data_date}",
           action="create", before=None, after=progress_fields(row))  # fmt: skip
    if over:
        add_override(session, project, f"progress/{data_date}", row.spent_to_date_ntd,
                     appropriated_to(project, data_date.year),
                     report["override_reason"].strip(), actor=actor)  # fmt: skip
    session.refresh(project)
    return row, project_burn(project, data_date)


def appropriated_to(project: Project, year: int) -> int:
    return sum(x.appropriated_ntd for x in project.budget_lines if x.first_year <= year)


PROGRESS_FIELDS = ("percent_complete", "spent_to_date_ntd", "reason", "over_appropriation")


def progress_fields(row: ProgressReport) -> dict[str, Any]:
    return {f: getattr(row, f) for f in PROGRESS_FIELDS}


def get_progress(
    session: Session, code: str, data_date: date, *, for_update: bool = False
) -> tuple[Project, ProgressReport]:
    project = get_project(session, code)
    row = find_one(session, ProgressReport, ProgressReport.project_id == project.id,
                   ProgressReport.data_date == data_date, for_update=for_update,
                   missing=f"project {code} has no progress report for {data_date}")  # fmt: skip
    return project, row


def correct_progress(
    session: Session, code: str, data_date: date, changes: dict[str, Any], if_match: str | None,
    *, actor: str, today: date,
) -> tuple[ProgressReport, rules.Burn]:  # fmt: skip
    """Correct a filed report: its figures stay between those of the reports around it, and
    the correction's reason is kept in the audit trail."""
    project, row = get_progress(session, code, data_date, for_update=True)
    check_if_match(row, if_match, "progress report", f"/api/v1/projects/{code}/progress")
    why = _required_reason(changes.pop("correction_reason", None), "correction_reason")
    merged = progress_fields(row) | {"data_date": data_date} | changes
    reason = (merged.get("reason") or "").strip()
    over = _progress_checks(project, merged, reason, correction=True, today=today, skip=row)
    before = progress_fields(row)
    row.percent_complete = merged["percent_complete"]
    row.spent_to_date_ntd = merged["spent_to_date_ntd"]
    row.reason, row.over_appropriation = reason, over
    session.flush()
    record(session, actor=actor, entity="progress_report", entity_id=f"{code}/{data_date}",
           action="correct", before=before, after=progress_fields(row) | {"why": why})  # fmt: skip
    session.refresh(project)
    return row, project_burn(project, data_date)


def withdraw_progress(
    session: Session, code: str, data_date: date, reason: str | None, if_match: str | None,
    *, actor: str,
) -> None:  # fmt: skip
    """Withdraw a report filed in error; what it said, and why it went, stay in the audit trail."""
    project, row = get_progress(session, code, data_date, for_update=True)
    check_if_match(row, if_match, "progress report", f"/api/v1/projects/{code}/progress")
    why = _required_reason(reason, "reason")
    before = progress_fields(row)
    project.progress.remove(row)
    session.delete(row)
    session.flush()
    record(session, actor=actor, entity="progress_report", entity_id=f"{code}/{data_date}",
           action="withdraw", before=before, after={"why": why})  # fmt: skip


def _required_reason(text: str | None, name: str) -> str:
    if not (text or "").strip():
        raise RuleViolation(f"{name} is required: say why, in a few words")
    return text.strip()


def _progress_checks(
    project: Project, report: dict[str, Any], reason: str, *, correction: bool, today: date,
    skip: ProgressReport | None = None,
) -> bool:  # fmt: skip
    """Raise the report's problems, if any; return whether it spends beyond the appropriation
    (with the override it then needs)."""
    data_date = report["data_date"]
    others = [p for p in plain_progress(project) if skip is None or p.data_date != skip.data_date]
    schedule = schedule_of(project)
    filed = rules.Progress(data_date, report["percent_complete"], report["spent_to_date_ntd"])
    problems = rules.progress_problems(
        filed, reason,
        earlier=max((p for p in others if p.data_date < data_date), key=_day, default=None),
        later=min((p for p in others if p.data_date > data_date), key=_day, default=None),
        correction=correction,
        window=rules.progress_window(schedule, project_burn(project, today).forecast_finish),
        today=today, due_pct=rules.planned_pct(schedule, data_date),
        spent_before_reports=rules.spent_before(plain_lines(project), data_date.year),
    )  # fmt: skip
    appropriated = appropriated_to(project, data_date.year)
    over = report["spent_to_date_ntd"] > appropriated
    overridden = (skip is not None and skip.over_appropriation) or (
        report.get("override_appropriation") and (report.get("override_reason") or "").strip()
    )
    if over and not overridden:
        problems.append(
            f"spent_to_date NT${report['spent_to_date_ntd']:,} is beyond the NT${appropriated:,} "
            "appropriated to date: send override_appropriation=true with override_reason"
        )
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    return over


def _day(report: rules.Progress) -> date:
    return report.data_date


def line_spending(project: Project) -> dict[int, tuple[int, str]]:
    """Each budget line's spending and its basis (see `rules.line_spending`)."""
    return rules.line_spending(plain_lines(project), plain_progress(project))


def update_budget_line(
    session: Session, code: str, first_year: int, changes: dict[str, Any],
    if_match: str | None, *, actor: str,
) -> BudgetLine:  # fmt: skip
    project = get_project(session, code)
    line = session.scalar(
        select(BudgetLine).where(BudgetLine.project_id == project.id,
                                 BudgetLine.first_year == first_year)
        .with_for_update(of=BudgetLine)
    )  # fmt: skip
    if line is None:
        raise NotFound(f"project {code} has no budget line for fiscal year {first_year}")
    check_if_match(line, if_match, f"FY{first_year} budget line", f"/api/v1/projects/{code}")
    span = {"first_year": first_year, "last_year": changes.get("last_year", line.last_year)}
    if problems := rules.budget_line_problems(span):
        raise RuleViolation("; ".join(problems), errors=problems)
    override = changes.pop("override_appropriation", False)
    reason = (changes.pop("override_reason", None) or "").strip()
    spent = changes.get("spent_ntd", line.spent_ntd)
    recorded_by = line_spending(project)[first_year][1]
    if "spent_ntd" in changes and recorded_by.startswith("monthly"):
        raise RuleViolation(
            f"FY{first_year}'s spending comes from the {recorded_by}: file a progress report, or "
            f"correct one (PATCH /api/v1/projects/{code}/progress/{{data_date}}), instead"
        )
    over = "spent_ntd" in changes and spent > line.appropriated_ntd
    if over and not (override and reason):
        raise RuleViolation(
            f"spent NT${spent:,} is beyond the NT${line.appropriated_ntd:,} appropriated for "
            f"FY{first_year}: send override_appropriation=true with override_reason"
        )
    before = {k: getattr(line, k) for k in changes}
    for name, value in changes.items():
        setattr(line, name, value)
    session.flush()
    record(session, actor=actor, entity="budget_line", entity_id=f"{code}/{first_year}",
           action="update", before=before,
           after={k: getattr(line, k) for k in changes})  # fmt: skip
    if over:
        add_override(session, project, f"budget/{first_year}", spent, line.appropriated_ntd,
                     reason, actor=actor)  # fmt: skip
    return line


def add_override(
    session: Session, project: Project, what: str, spent: int, appropriated: int, reason: str,
    *, actor: str,
) -> AppropriationOverride:  # fmt: skip
    """Spending beyond the appropriation, allowed with a reason: a row of its own, audited."""
    figures = {"spent_ntd": spent, "appropriated_ntd": appropriated, "reason": reason}
    row = AppropriationOverride(project_id=project.id, record=what, actor=actor, **figures)
    session.add(row)
    session.flush()
    key = f"{project.code}/{what}"
    record(session, actor=actor, entity="appropriation_override", entity_id=key,
           action="create", before=None, after=figures)  # fmt: skip
    return row


def create_project(session: Session, fields: dict[str, Any], *, actor: str) -> Project:
    """Register a project: its county known, its window and contract coherent, its code new."""
    if session.scalar(select(Project.id).where(Project.code == fields["code"])) is not None:
        raise Conflict(f"a project with the code '{fields['code']}' already exists")
    county = counties_by_name(session).get(fields["county"])
    problems = rules.project_problems(fields, county is not None)
    if problems:
        raise RuleViolation("; ".join(problems), errors=problems)
    project = Project(**{k: v for k, v in fields.items() if k != "county"}, county=county)
    session.add(project)
    session.flush()
    record(session, actor=actor, entity="project", entity_id=project.code, action="create",
           before=None, after={"budget_total_ntd": project.budget_total_ntd})  # fmt: skip
    return project


def add_project_site(session: Session, code: str, site_code: str, *, actor: str) -> ProjectSite:
    """A site that becomes owned when the project completes."""
    project, site = project_row(session, code), get_site(session, site_code)
    linked = select(ProjectSite.id).where(ProjectSite.project_id == project.id,
                                          ProjectSite.site_id == site.id)  # fmt: skip
    if session.scalar(linked) is not None:
        raise Conflict(f"site {site_code} is already linked to project {code}")
    link = ProjectSite(project=project, site=site)
    session.add(link)
    session.flush()
    record(session, actor=actor, entity="project_site", entity_id=f"{code}/{site_code}",
           action="create", before=None, after={"site_code": site_code})  # fmt: skip
    return link


def add_budget_line(
    session: Session, code: str, fields: dict[str, Any], *, actor: str
) -> BudgetLine:
    """A fiscal year's (or a span's) appropriation, commitments and spending."""
    project = project_row(session, code)
    same_year = select(BudgetLine.id).where(
        BudgetLine.project_id == project.id, BudgetLine.first_year == fields["first_year"]
    )
    if session.scalar(same_year) is not None:
        raise Conflict(f"project {code} already has a budget line from FY{fields['first_year']}")
    if problems := rules.budget_line_problems(fields):
        raise RuleViolation("; ".join(problems), errors=problems)
    line = BudgetLine(project=project, **fields)
    session.add(line)
    session.flush()
    record(session, actor=actor, entity="budget_line", entity_id=f"{code}/{line.first_year}",
           action="create", before=None,
           after={k: v for k, v in fields.items() if k != "note"})  # fmt: skip
    return line


def add_work_package(
    session: Session, code: str, fields: dict[str, Any], *, actor: str
) -> WorkPackage:
    project = project_row(session, code)
    existing = session.scalar(
        select(WorkPackage.id).where(
            WorkPackage.project_id == project.id, WorkPackage.code == fields["code"]
        )
    )
    if existing is not None:
        raise Conflict(f"project {code} already has a work package '{fields['code']}'")
    if not 0 < fields["weight_pct"] <= 100:
        raise RuleViolation(f"weight_pct {fields['weight_pct']} must be above 0 and at most 100")
    package = WorkPackage(project=project, **fields)
    session.add(package)
    session.flush()
    record(session, actor=actor, entity="work_package", entity_id=f"{code}/{package.code}",
           action="create", before=None, after={"weight_pct": package.weight_pct})  # fmt: skip
    return package


def add_milestone(
    session: Session, code: str, package_code: str, fields: dict[str, Any], *, actor: str,
    today: date,
) -> Milestone:  # fmt: skip
    package = session.scalar(
        select(WorkPackage).join(WorkPackage.project)
        .where(Project.code == code, WorkPackage.code == package_code)
    )  # fmt: skip
    if package is None:
        project_row(session, code)  # NotFound if there is no such project
        raise NotFound(f"project {code} has no work package '{package_code}'")
    if problems := rules.milestone_problems(fields, today):
        raise RuleViolation("; ".join(problems), errors=problems)
    milestone = Milestone(package=package, **fields)
    session.add(milestone)
    session.flush()
    record(session, actor=actor, entity="milestone", entity_id=str(milestone.id),
           action="create", before=None,
           after={k: fields[k] for k in MILESTONE_FIELDS if k in fields})  # fmt: skip
    return milestone


@dataclass(frozen=True)
class CenterCase:
    """A new center: the rent it saves a year, what it costs (its construction projects'
    budgets, to the dollar) and the years the savings take to repay it."""

    savings: CenterSavings
    project_codes: list[str]
    cost_ntd: int | None
    """None: no construction project is linked to the center (Project.lease_center_key)."""
    provenance: str

    @property
    def payback_years(self) -> float | None:
        return rules.payback_years(self.cost_ntd, self.savings.annual_rent_avoided_ntd)


@dataclass(frozen=True)
class RelocationReport:
    fiscal_year: int
    as_of: date
    centers: list[CenterCase]
    year_note: str = ""
    agency: Identity = NOT_SET
    """Whose report it is: its title and page header name the agency."""

    @property
    def rent_avoided_ntd(self) -> int:
        return sum(c.savings.annual_rent_avoided_ntd for c in self.centers)

    @property
    def cost_ntd(self) -> int:
        """The costs known, of every center that has one."""
        return sum(c.cost_ntd for c in self.centers if c.cost_ntd is not None)

    @property
    def payback_years(self) -> float | None:
        """All the costs known over the rent those centers save a year."""
        costed = [c for c in self.centers if c.cost_ntd is not None]
        saved = sum(c.savings.annual_rent_avoided_ntd for c in costed)
        return rules.payback_years(self.cost_ntd, saved) if costed else None

    @property
    def offices_replaced(self) -> int:
        return sum(len(c.savings.offices) for c in self.centers)


def relocation_report(session: Session, fiscal_year: int | None, as_of: date) -> RelocationReport:
    """What moving saves: each new center's rent avoided (the lease register's figures) beside
    its cost, the budgets of the projects that build it; for the year asked for, else the
    latest with rent recorded."""
    everyone = offices(session)
    fiscal_year, note = fiscal_year_for(years_of(everyone), fiscal_year, as_of)
    costs: dict[str, list[tuple[str, int, str]]] = {}
    for key, code, budget, provenance in session.execute(
        select(Project.lease_center_key, Project.code, Project.budget_total_ntd,
               Project.provenance)
        .where(Project.lease_center_key.is_not(None)).order_by(Project.code)
    ):  # fmt: skip
        costs.setdefault(key, []).append((code, budget, provenance))
    centers = []
    for saved in relocation_savings(session, fiscal_year, as_of, everyone):
        projects = costs.get(saved.center.key, [])
        cost = sum(budget for _, budget, _ in projects) if projects else None
        provenance = ", ".join(sorted({p for *_, p in projects})) or saved.center.provenance
        centers.append(CenterCase(saved, [code for code, *_ in projects], cost, provenance))
    return RelocationReport(fiscal_year, as_of, centers, note, current_agency(session))


# The register workbook's sheets: each sheet's rows as the register holds them, and the rows of
# a sheet loaded through the services above (the API's rules), each problem by its line.

PROJECT_FIELDS = (
    "name", "name_zh", "kind", "location", "budget_total_ntd", "planned_start",
    "planned_finish", "contract_start", "contract_days", "contract_basis", "new_sites",
    "lease_center_key", "provenance",
)  # fmt: skip


def project_fields(project: Project) -> dict[str, Any]:
    fields = {f: getattr(project, f) for f in PROJECT_FIELDS}
    sites = tuple(sorted(link.site.code for link in project.sites))
    return {"code": project.code, **fields, "county": project.county.name, "sites": sites}


def project_rows(session: Session) -> list[dict[str, Any]]:
    projects = session.scalars(
        select(Project).options(subqueryload(Project.sites)).order_by(Project.code)
    )
    return [project_fields(project) for project in projects]


def update_project(
    session: Session, project: Project, changes: dict[str, Any], *, actor: str
) -> Project:
    """Change a project's fields by the rules it was registered under, and the sites it makes
    owned."""
    county = counties_by_name(session).get(changes.get("county", project.county.name))
    merged = project_fields(project) | changes
    if problems := rules.project_problems(merged, county is not None):
        raise RuleViolation("; ".join(problems), errors=problems)
    before = project_fields(project)
    for name in PROJECT_FIELDS:
        if name in changes:
            setattr(project, name, changes[name])
    project.county = county
    if "sites" in changes:
        _owned_on_completion(session, project, changes["sites"])
    session.flush()
    record(session, actor=actor, entity="project", entity_id=project.code, action="update",
           before={k: before[k] for k in changes}, after=changes)  # fmt: skip
    return project


def _owned_on_completion(session: Session, project: Project, codes: Sequence[str]) -> None:
    for link in [link for link in project.sites if link.site.code not in codes]:
        project.sites.remove(link)
        session.delete(link)
    held = {link.site.code for link in project.sites}
    for code in codes:
        if code not in held:
            session.add(ProjectSite(project=project, site=get_site(session, code)))


def load_projects_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert projects by code, with the sites each makes owned."""
    known = {p.code: p for p in session.scalars(
        select(Project).options(subqueryload(Project.sites)))}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        project = known.get(row["code"])
        if project is None:
            fields = {k: v for k, v in row.items() if k in ("code", "county", *PROJECT_FIELDS)}
            project = create_project(session, fields, actor=importing.actor)
            for code in row.get("sites", ()):
                add_project_site(session, project.code, code, actor=importing.actor)
            known[row["code"]] = project
            return CREATED
        wanted = row | ({"sites": tuple(sorted(row["sites"]))} if "sites" in row else {})
        changed = differing(project_fields(project), wanted)
        if changed:
            update_project(session, project, changed, actor=importing.actor)
        return changed_names(row["code"], changed)

    return each_row(session, rows, apply, Outcome())


LINE_FIELDS = ("last_year", "appropriated_ntd", "committed_ntd", "spent_ntd", "note",
               "provenance")  # fmt: skip


def budget_rows(session: Session) -> list[dict[str, Any]]:
    lines = session.execute(
        select(Project.code, BudgetLine).join(BudgetLine.project)
        .order_by(Project.code, BudgetLine.first_year)
    )  # fmt: skip
    return [{"project_code": code, "first_year": line.first_year}
            | {f: getattr(line, f) for f in LINE_FIELDS} for code, line in lines]  # fmt: skip


def load_budget_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert budget lines by project and first year."""
    known = {(code, line.first_year): line for code, line in session.execute(
        select(Project.code, BudgetLine).join(BudgetLine.project))}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        key = (row["project_code"], row["first_year"])
        fields = {k: v for k, v in row.items() if k == "first_year" or k in LINE_FIELDS}
        line = known.get(key)
        if line is None:
            known[key] = add_budget_line(session, key[0], fields, actor=importing.actor)
            return CREATED
        changed = differing({f: getattr(line, f) for f in LINE_FIELDS}, fields)
        if changed:
            update_budget_line(session, key[0], key[1], changed, "*", actor=importing.actor)
        return changed_names(f"{key[0]} FY{key[1]}", changed)

    return each_row(session, rows, apply, Outcome())


PACKAGE_FIELDS = ("name", "name_zh", "weight_pct", "provenance")


def package_rows(session: Session) -> list[dict[str, Any]]:
    packages = session.execute(
        select(Project.code, WorkPackage).join(WorkPackage.project)
        .order_by(Project.code, WorkPackage.id)
    )  # fmt: skip
    return [{"project_code": code, "code": p.code} | {f: getattr(p, f) for f in PACKAGE_FIELDS}
            for code, p in packages]  # fmt: skip


def update_work_package(
    session: Session, package: WorkPackage, changes: dict[str, Any], *, actor: str
) -> WorkPackage:
    weight = changes.get("weight_pct", package.weight_pct)
    if not 0 < weight <= 100:
        raise RuleViolation(f"weight_pct {weight} must be above 0 and at most 100")
    before = {k: getattr(package, k) for k in changes}
    for name, value in changes.items():
        setattr(package, name, value)
    session.flush()
    record(session, actor=actor, entity="work_package",
           entity_id=f"{package.project.code}/{package.code}", action="update", before=before,
           after=changes)  # fmt: skip
    return package


def load_packages_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert work packages by project and package code."""
    known = {(code, p.code): p for code, p in session.execute(
        select(Project.code, WorkPackage).join(WorkPackage.project))}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        key = (row["project_code"], row["code"])
        fields = {k: v for k, v in row.items() if k == "code" or k in PACKAGE_FIELDS}
        package = known.get(key)
        if package is None:
            known[key] = add_work_package(session, key[0], fields, actor=importing.actor)
            return CREATED
        changed = differing({f: getattr(package, f) for f in PACKAGE_FIELDS}, fields)
        if changed:
            update_work_package(session, package, changed, actor=importing.actor)
        return changed_names(f"{key[0]}/{key[1]}", changed)

    return each_row(session, rows, apply, Outcome())


MILESTONE_SHEET_FIELDS = ("name_zh", "planned_date", *MILESTONE_FIELDS, "provenance")


def milestone_rows(session: Session) -> list[dict[str, Any]]:
    milestones = session.execute(
        select(Project.code, WorkPackage.code, Milestone)
        .join(Milestone.package).join(WorkPackage.project)
        .order_by(Milestone.id)  # as entered: an import elsewhere gives the same ids
    )  # fmt: skip
    return [{"project_code": code, "package_code": package, "name": m.name}
            | {f: getattr(m, f) for f in MILESTONE_SHEET_FIELDS}
            for code, package, m in milestones]  # fmt: skip


def change_milestone(
    session: Session, milestone: Milestone, changes: dict[str, Any], *, actor: str, today: date
) -> None:
    """Changes from the register: the figures and dates the API changes (under its rules), and
    the Chinese name and provenance; never the planned date, the baseline."""
    if "planned_date" in changes:
        raise RuleViolation(
            f"planned_date is the baseline ({milestone.planned_date}) and does not change: move "
            "forecast_date instead"
        )
    tracked = {k: v for k, v in changes.items() if k in MILESTONE_FIELDS}
    if tracked:
        update_milestone(session, milestone.id, tracked, "*", actor=actor, today=today)
    for name in ("name_zh", "provenance"):
        if name in changes:
            setattr(milestone, name, changes[name])
    session.flush()


def load_milestones_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """Upsert milestones by project, work package and name."""
    known = {(code, package, m.name): m for code, package, m in session.execute(
        select(Project.code, WorkPackage.code, Milestone)
        .join(Milestone.package).join(WorkPackage.project))}  # fmt: skip

    def apply(row: dict[str, Any]) -> str | None:
        key = (row["project_code"], row["package_code"], row["name"])
        fields = {k: v for k, v in row.items() if k == "name" or k in MILESTONE_SHEET_FIELDS}
        milestone = known.get(key)
        if milestone is None:
            fields = {"percent_complete": 0.0} | fields
            known[key] = add_milestone(session, key[0], key[1], fields, actor=importing.actor,
                                       today=importing.today)  # fmt: skip
            return CREATED
        changed = differing({f: getattr(milestone, f) for f in MILESTONE_SHEET_FIELDS}, fields)
        if changed:
            change_milestone(session, milestone, changed, actor=importing.actor,
                             today=importing.today)  # fmt: skip
        return changed_names("/".join(key), changed)

    return each_row(session, rows, apply, Outcome())


REPORT_FIELDS = ("percent_complete", "spent_to_date_ntd", "reason", "override_reason",
                 "provenance")  # fmt: skip


def progress_rows(session: Session) -> list[dict[str, Any]]:
    reasons = {(project_id, what): reason for project_id, what, reason in session.execute(
        select(AppropriationOverride.project_id, AppropriationOverride.record,
               AppropriationOverride.reason).order_by(AppropriationOverride.id))}  # fmt: skip
    reports = session.execute(
        select(Project.code, ProgressReport).join(ProgressReport.project)
        .order_by(Project.code, ProgressReport.data_date)
    )  # fmt: skip
    return [report_fields(code, r, reasons.get((r.project_id, f"progress/{r.data_date}"), ""))
            for code, r in reports]  # fmt: skip


def report_fields(code: str, report: ProgressReport, override_reason: str) -> dict[str, Any]:
    return {"project_code": code, "data_date": report.data_date,
            "percent_complete": report.percent_complete,
            "spent_to_date_ntd": report.spent_to_date_ntd, "reason": report.reason,
            "override_reason": override_reason, "provenance": report.provenance}  # fmt: skip


def load_progress_sheet(
    session: Session, rows: list[dict[str, Any]], importing: Importing
) -> Outcome:
    """File each new report through the monthly rules, in date order per project; correct a
    filed one whose figures or reason differ (the correction's reason: the import)."""
    known = {(row["project_code"], row["data_date"]): row for row in progress_rows(session)}

    def apply(row: dict[str, Any]) -> str | None:
        code, day = row["project_code"], row["data_date"]
        filed = known.get((code, day))
        if filed is None:
            report = {k: v for k, v in row.items() if k == "data_date" or k in REPORT_FIELDS}
            override = (report.pop("override_reason", "") or "").strip()
            add_progress(session, code, report | {"override_appropriation": bool(override),
                                                  "override_reason": override},
                         actor=importing.actor, today=importing.today)  # fmt: skip
            return CREATED
        changed = differing(filed, row)
        changed.pop("override_reason", None)  # an override is given once, when first filed
        if changed:
            _correct(session, code, day, changed, importing)
        return changed_names(f"{code} {day}", changed)

    ordered = sorted(rows, key=lambda row: (row["project_code"], row["data_date"]))
    return each_row(session, ordered, apply, Outcome())


def _correct(
    session: Session, code: str, day: date, changed: dict[str, Any], importing: Importing
) -> None:
    figures = {k: v for k, v in changed.items() if k != "provenance"}
    if figures:
        correct_progress(session, code, day, figures | {"correction_reason": "register import"},
                         "*", actor=importing.actor, today=importing.today)  # fmt: skip
    if "provenance" in changed:
        get_progress(session, code, day)[1].provenance = changed["provenance"]
        session.flush()
