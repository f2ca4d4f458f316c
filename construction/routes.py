"""The construction API: projects, burn, milestones (ETag / If-Match), progress and budget."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Annotated

import msgspec
from litestar import Response, Router
from litestar.params import FromPath, FromQuery, HeaderParameter, JSONBody, PathParameter

from construction import services
from construction.burn import Burn, days_between, planned_fraction
from construction.models import Milestone, Project
from construction.schemas import (
    BudgetLineOut,
    BudgetLinePatch,
    BurnOut,
    ChangeOut,
    EarnedValueOut,
    MilestoneOut,
    MilestonePatch,
    ProgressFiled,
    ProgressIn,
    ProgressOut,
    ProjectDetail,
    ProjectHeadline,
    ProjectList,
    ProjectOut,
    ScheduleName,
)  # fmt: skip
from facilities.dependencies import Actor, DbSession, Today
from facilities.http import PRECONDITION_PROBLEMS, WRITE_PROBLEMS, get, patch, post

MilestoneId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]


def burn_out(code: str, b: Burn) -> BurnOut:
    fields = {f.name: getattr(b, f.name) for f in dataclasses.fields(b)}
    fields["earned_value"] = EarnedValueOut(**dataclasses.asdict(b.earned_value))
    return BurnOut(project_code=code, **fields)


def label(first: int, last: int) -> str:
    years = f"FY{first}" if first == last else f"FY{first}-{last}"
    roc = f"{first - 1911}年" if first == last else f"{first - 1911}-{last - 1911}年"
    return f"{years} ({roc})"


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
    lines = [
        BudgetLineOut(x.first_year, x.last_year, label(x.first_year, x.last_year),
                      x.appropriated_ntd, x.committed_ntd, x.spent_ntd, x.note, x.provenance)
        for x in p.budget_lines
    ]  # fmt: skip
    return ProjectDetail(**fields, budget_lines=lines, burn=burn_out(p.code, detail))


def milestone_out(m: Milestone, today: date) -> MilestoneOut:
    package = m.package
    return MilestoneOut(
        id=m.id, project_code=package.project.code, package_code=package.code,
        package_name=package.name, name=m.name, name_zh=m.name_zh, planned_date=m.planned_date,
        forecast_date=m.forecast_date, actual_date=m.actual_date,
        percent_complete=m.percent_complete, status=services.milestone_status(m, today),
        note=m.note, etag=services.etag(m), updated_at=m.updated_at,
    )  # fmt: skip


@get("/projects", sync_to_thread=True)
def list_projects(session: DbSession, today: Today) -> ProjectList:
    heads = services.list_projects(session, today)
    items = [
        ProjectHeadline(
            h.project.code,
            h.project.name,
            h.project.name_zh,
            h.project.budget_total_ntd,
            h.burn.status,
            h.burn.reasons,
            h.burn.schedule_used_pct,
            h.burn.work_done_pct,
            h.burn.budget_burn_pct,
            h.burn.spi_t,
            h.burn.earned_value.cpi,
            h.burn.forecast_finish,
            h.burn.planned_finish,
        )  # fmt: skip
        for h in heads
    ]
    return ProjectList(as_of=today, items=items)


@get("/projects/{code:str}", sync_to_thread=True)
def get_project(session: DbSession, today: Today, code: FromPath[str]) -> ProjectDetail:
    project = services.get_project(session, code)
    return project_out(project, services.project_burn(project, today))


@get(
    "/projects/{code:str}/burn", sync_to_thread=True, responses={422: WRITE_PROBLEMS[422]},
    description="Burn at any date (default: the project's latest data date); `schedule` picks "
    "the programme window or the contract duration, and every figure says which it used.",
)  # fmt: skip
def project_burn(
    session: DbSession,
    code: FromPath[str],
    as_of: FromQuery[date | None] = None,
    schedule: FromQuery[ScheduleName] = ScheduleName.programme_window,
) -> BurnOut:
    project = services.get_project(session, code)
    return burn_out(code, services.project_burn(project, as_of, schedule.value))


@get("/projects/{code:str}/milestones", sync_to_thread=True)
def project_milestones(session: DbSession, today: Today, code: FromPath[str]) -> list[MilestoneOut]:
    return [milestone_out(m, today) for m in services.milestones_of(session, code)]


@get("/milestones/{milestone_id:int}", sync_to_thread=True)
def get_milestone(
    session: DbSession, today: Today, milestone_id: MilestoneId
) -> Response[MilestoneOut]:
    milestone = services.get_milestone(session, milestone_id)
    return Response(milestone_out(milestone, today), headers={"ETag": services.etag(milestone)})


@patch(
    "/milestones/{milestone_id:int}", sync_to_thread=True, responses=PRECONDITION_PROBLEMS,
    description="Requires If-Match with the ETag from GET: a stale tag answers 412 and changes "
    "nothing, a missing one 428.",
)  # fmt: skip
def update_milestone(
    session: DbSession,
    today: Today,
    actor: Actor,
    milestone_id: MilestoneId,
    data: JSONBody[MilestonePatch],
    if_match: IfMatch = None,
) -> Response[MilestoneOut]:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    milestone = services.update_milestone(
        session, milestone_id, changes, if_match, actor=actor, today=today
    )
    return Response(milestone_out(milestone, today), headers={"ETag": services.etag(milestone)})


@get("/milestones/{milestone_id:int}/history", sync_to_thread=True)
def milestone_history(session: DbSession, milestone_id: MilestoneId) -> list[ChangeOut]:
    return [
        ChangeOut(e.at, e.actor, e.before, e.after)
        for e in services.milestone_history(session, milestone_id)
    ]


def progress_out(project: Project, r) -> ProgressOut:
    schedule = services.schedule_of(project)
    used = days_between(schedule.start, r.data_date, schedule.basis) / schedule.duration
    planned = round(planned_fraction(used) * 100, 1)
    return ProgressOut(r.data_date, r.percent_complete, r.spent_to_date_ntd, planned, r.reason,
                       r.over_appropriation)  # fmt: skip


@get("/projects/{code:str}/progress", sync_to_thread=True)
def project_progress(session: DbSession, code: FromPath[str]) -> list[ProgressOut]:
    project = services.get_project(session, code)
    return [progress_out(project, r) for r in project.progress]


@post("/projects/{code:str}/progress", sync_to_thread=True)
def file_progress(
    session: DbSession, today: Today, actor: Actor, code: FromPath[str], data: JSONBody[ProgressIn]
) -> ProgressFiled:
    report, burn = services.add_progress(
        session, code, msgspec.structs.asdict(data), actor=actor, today=today
    )
    return ProgressFiled(progress_out(report.project, report), burn_out(code, burn))


@patch("/projects/{code:str}/budget/{first_year:int}", sync_to_thread=True)
def update_budget_line(
    session: DbSession,
    actor: Actor,
    code: FromPath[str],
    first_year: Annotated[int, PathParameter(ge=1990, le=2100)],
    data: JSONBody[BudgetLinePatch],
) -> BudgetLineOut:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    x = services.update_budget_line(session, code, first_year, changes, actor=actor)
    return BudgetLineOut(
        x.first_year,
        x.last_year,
        label(x.first_year, x.last_year),
        x.appropriated_ntd,
        x.committed_ntd,
        x.spent_ntd,
        x.note,
        x.provenance,
    )


router = Router(
    path="/api/v1",
    route_handlers=[
        list_projects, get_project, project_burn, project_milestones, get_milestone,
        update_milestone, milestone_history, project_progress, file_progress, update_budget_line,
    ],
    tags=["construction"],
)  # fmt: skip
