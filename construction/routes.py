"""The construction API: projects, burn, milestones (ETag / If-Match), progress and budget."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Response, Router
from litestar.params import (
    FromPath,
    FromQuery,
    HeaderParameter,
    JSONBody,
    PathParameter,
    QueryParameter,
)

from construction import services
from construction.schemas import (
    BudgetLineOut,
    BudgetLinePatch,
    BurnOut,
    ChangeOut,
    MilestoneOut,
    MilestonePatch,
    ProgressCorrection,
    ProgressFiled,
    ProgressIn,
    ProgressOut,
    ProjectDetail,
    ProjectList,
    ScheduleName,
    budget_line_out,
    burn_out,
    change_out,
    headline_out,
    milestone_out,
    progress_out,
    project_out,
)  # fmt: skip
from facilities.core.clock import AsOf, bounded
from facilities.core.dependencies import Actor, DbSession, Today
from facilities.core.http import (
    ACCESS,
    PRECONDITION_PROBLEMS,
    WRITE_PROBLEMS,
    delete,
    get,
    patch,
    post,
)  # fmt: skip
from facilities.core.paging import Limit, Offset, Page, page_of

MilestoneId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]
IfMatch = Annotated[str | None, HeaderParameter(name="If-Match", required=False)]


def _changes(data: msgspec.Struct) -> dict:
    return {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}


@get("/projects", sync_to_thread=True)
def list_projects(
    session: DbSession, today: Today, limit: Limit = 100, offset: Offset = 0
) -> ProjectList:
    heads = page_of(services.list_projects(session, today), limit=limit, offset=offset)
    return ProjectList([headline_out(h) for h in heads.items], heads.total, limit, offset, today)


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
    as_of: AsOf = None,
    schedule: FromQuery[ScheduleName] = ScheduleName.programme_window,
) -> BurnOut:
    project = services.get_project(session, code)
    return burn_out(code, services.project_burn(project, bounded(as_of), schedule.value))


@get("/projects/{code:str}/milestones", sync_to_thread=True)
def project_milestones(
    session: DbSession, today: Today, code: FromPath[str], limit: Limit = 100, offset: Offset = 0
) -> Page[MilestoneOut]:
    found = page_of(services.milestones_of(session, code), limit=limit, offset=offset)
    return found.map(lambda m: milestone_out(m, today))


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
    milestone = services.update_milestone(
        session, milestone_id, _changes(data), if_match, actor=actor, today=today
    )
    return Response(milestone_out(milestone, today), headers={"ETag": services.etag(milestone)})


@get(
    "/milestones/{milestone_id:int}/history", sync_to_thread=True, opt={ACCESS: "executive"},
    description="Who changed the milestone, when, before and after: part of the audit trail, so "
    "for the roles that read it (admin, staff, executive).",
)  # fmt: skip
def milestone_history(
    session: DbSession, milestone_id: MilestoneId, limit: Limit = 100, offset: Offset = 0
) -> Page[ChangeOut]:
    changes = services.milestone_history(session, milestone_id)
    return page_of(changes, limit=limit, offset=offset).map(change_out)


@get("/projects/{code:str}/progress", sync_to_thread=True)
def project_progress(
    session: DbSession, code: FromPath[str], limit: Limit = 100, offset: Offset = 0
) -> Page[ProgressOut]:
    project = services.get_project(session, code)
    reports = page_of(project.progress, limit=limit, offset=offset)
    return reports.map(lambda r: progress_out(project, r))


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
    line = services.update_budget_line(session, code, first_year, _changes(data), actor=actor)
    return budget_line_out(line, *services.line_spending(line.project)[first_year])


@patch(
    "/projects/{code:str}/progress/{data_date:date}", sync_to_thread=True,
    description="Correct a filed report; `correction_reason` is required and audited.",
)  # fmt: skip
def correct_progress(
    session: DbSession, today: Today, actor: Actor, code: FromPath[str], data_date: FromPath[date],
    data: JSONBody[ProgressCorrection],
) -> ProgressFiled:  # fmt: skip
    report, burn = services.correct_progress(
        session, code, data_date, _changes(data), actor=actor, today=today
    )
    return ProgressFiled(progress_out(report.project, report), burn_out(code, burn))


@delete(
    "/projects/{code:str}/progress/{data_date:date}", sync_to_thread=True,
    description="Withdraw a report filed in error; `reason` is required and audited.",
)  # fmt: skip
def withdraw_progress(
    session: DbSession, actor: Actor, code: FromPath[str], data_date: FromPath[date],
    reason: Annotated[str, QueryParameter(min_length=1, max_length=500)],
) -> None:  # fmt: skip
    services.withdraw_progress(session, code, data_date, reason, actor=actor)


router = Router(
    path="/api/v1",
    route_handlers=[
        list_projects, get_project, project_burn, project_milestones, get_milestone,
        update_milestone, milestone_history, project_progress, file_progress, correct_progress,
        withdraw_progress, update_budget_line,
    ],
    tags=["construction"],
)  # fmt: skip
