"""The construction API: projects, burn, milestones (ETag / If-Match), progress and budget."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Request, Response, Router
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from construction import services
from construction.files import relocation_csv, relocation_xlsx
from construction.rules import planned_pct
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
    RelocationSavingsOut,
    ScheduleName,
    budget_line_out,
    burn_out,
    change_out,
    headline_out,
    milestone_out,
    progress_out,
    project_out,
    relocation_out,
)  # fmt: skip
from facilities.audit.services import history
from facilities.auth.middleware import may
from facilities.core.clock import AsOf, bounded
from facilities.core.concurrency import IfMatch, tagged
from facilities.core.dependencies import Actor, DbSession, Today
from facilities.core.errors import DomainError
from facilities.core.http import (
    ACCESS,
    CSV,
    WRITE_PROBLEMS,
    XLSX,
    ReportFormat,
    ReportOperation,
    delete,
    file_response,
    get,
    patch,
    post,
    wanted_format,
)  # fmt: skip
from facilities.core.pages import page, problems_of, submit
from facilities.core.paging import Limit, Offset, Page, page_of

MilestoneId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]


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
    return tagged(milestone_out(milestone, today), milestone)


@patch(
    "/milestones/{milestone_id:int}", sync_to_thread=True,
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
    return tagged(milestone_out(milestone, today), milestone)


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
    if_match: IfMatch = None,
) -> Response[BudgetLineOut]:
    line = services.update_budget_line(
        session, code, first_year, _changes(data), if_match, actor=actor
    )
    return tagged(budget_line_out(line, *services.line_spending(line.project)[first_year]), line)


@patch(
    "/projects/{code:str}/progress/{data_date:date}", sync_to_thread=True,
    description="Correct a filed report; `correction_reason` is required and audited.",
)  # fmt: skip
def correct_progress(
    session: DbSession, today: Today, actor: Actor, code: FromPath[str], data_date: FromPath[date],
    data: JSONBody[ProgressCorrection], if_match: IfMatch = None,
) -> ProgressFiled:  # fmt: skip
    report, burn = services.correct_progress(
        session, code, data_date, _changes(data), if_match, actor=actor, today=today
    )
    return ProgressFiled(progress_out(report.project, report), burn_out(code, burn))


@delete(
    "/projects/{code:str}/progress/{data_date:date}", sync_to_thread=True,
    description="Withdraw a report filed in error; `reason` is required and audited.",
)  # fmt: skip
def withdraw_progress(
    session: DbSession, actor: Actor, code: FromPath[str], data_date: FromPath[date],
    reason: Annotated[str, QueryParameter(min_length=1, max_length=500)],
    if_match: IfMatch = None,
) -> None:  # fmt: skip
    services.withdraw_progress(session, code, data_date, reason, if_match, actor=actor)


RELOCATION_FILES = {ReportFormat.csv: (relocation_csv, CSV),
                    ReportFormat.xlsx: (relocation_xlsx, XLSX)}  # fmt: skip


@get(
    "/reports/relocation-savings", sync_to_thread=True,
    operation_class=ReportOperation,
    description="For each new migration service center, the leased offices it will replace and "
    "their annual rent (the rent of the fiscal year: paid, or contracted for a year not yet "
    "closed), the center's cost (its construction project's budget) and the simple payback in "
    "years, with totals. `format=csv|xlsx` (or the Accept header) gives the file.",
)  # fmt: skip
def relocation_savings(
    request: Request,
    session: DbSession,
    today: Today,
    fiscal_year: Annotated[
        int | None,
        QueryParameter(ge=1990, le=2100, description="Default: the latest with rent recorded"),
    ] = None,
    format: FromQuery[ReportFormat | None] = None,
) -> Response[RelocationSavingsOut]:
    report = services.relocation_report(session, fiscal_year, today)
    year = report.fiscal_year
    chosen = wanted_format(request, format)
    if chosen is ReportFormat.json:
        return Response(relocation_out(report))
    write, media_type = RELOCATION_FILES[chosen]
    return file_response(write(report), media_type, f"relocation-savings-FY{year}.{chosen}")


router = Router(
    path="/api/v1",
    route_handlers=[
        list_projects, get_project, project_burn, project_milestones, get_milestone,
        update_milestone, milestone_history, project_progress, file_progress, correct_progress,
        withdraw_progress, update_budget_line, relocation_savings,
    ],
    tags=["construction"],
)  # fmt: skip


class ProgressForm(msgspec.Struct):
    data_date: date
    percent_complete: float
    spent_to_date_ntd: int
    reason: str = ""


class CorrectionForm(msgspec.Struct):
    data_date: date
    percent_complete: float
    spent_to_date_ntd: int
    correction_reason: str = ""
    etags: str = ""


class MilestoneForm(msgspec.Struct):
    etag: str
    percent_complete: float
    forecast_date: str = ""
    actual_date: str = ""
    note: str = ""

    def changes(self) -> dict:
        return {
            "percent_complete": self.percent_complete,
            "note": self.note,
            "forecast_date": _day(self.forecast_date),
            "actual_date": _day(self.actual_date),
        }


def _day(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


Form = Body(media_type=RequestEncodingType.URL_ENCODED)
PROJECT_SORTS = [("status", "燈號 Status"), ("code", "代碼 Code"), ("budget", "經費 Budget"),
                 ("forecast", "預估完工 Forecast")]  # fmt: skip
SORT_KEYS = {"code": lambda h: h.project.code, "budget": lambda h: -h.project.budget_total_ntd,
             "forecast": lambda h: h.burn.forecast_finish}  # fmt: skip


@get("/projects", sync_to_thread=True, include_in_schema=False)
def projects_page(session: DbSession, today: Today, sort: FromQuery[str] = "status") -> Template:
    heads = services.list_projects(session, today)
    if sort in SORT_KEYS:
        heads = sorted(heads, key=SORT_KEYS[sort])
    return page("construction/list.html", heads=heads, sorts=PROJECT_SORTS, sort=sort,
                today=today)  # fmt: skip


def project_page(
    request: Request, session: DbSession, today: Today, code: str, status: int = 200, **shown
) -> Template:  # fmt: skip
    """The project with its budget, milestones and progress, and the forms to change them."""
    project = services.get_project(session, code)
    burn = services.project_burn(project, today)
    spending = services.line_spending(project)
    reports = [progress_out(project, r) for r in project.progress]
    defaults = {"data_date": today, "percent_complete": "", "spent_to_date_ntd": "", "reason": ""}
    return page(
        "construction/detail.html", status, project=project, burn=burn, today=today,
        budget_lines=[budget_line_out(x, *spending[x.first_year]) for x in project.budget_lines],
        milestones=[milestone_out(m, today) for m in services.milestones_of(session, code)],
        progress=reports, progress_etags=",".join(f"{r.data_date}={r.etag}" for r in reports),
        planned_today=planned_pct(services.schedule_of(project), today),
        can_write=may(request, "write"),
        audit=history(session, "project", code) if may(request, "executive") else None,
        **{"conflict": None, "milestone_problems": [], "progress_problems": [],
           "correction_problems": [], "progress_form": defaults,
           "correction_form": defaults | {"correction_reason": ""}} | shown,
    )  # fmt: skip


@get("/projects/{code:str}", sync_to_thread=True, include_in_schema=False)
def project_detail_page(
    request: Request, session: DbSession, today: Today, code: FromPath[str]
) -> Template:
    return project_page(request, session, today, code)


@post("/projects/{code:str}/progress", sync_to_thread=True, include_in_schema=False)
def progress_form(
    request: Request, session: DbSession, today: Today, actor: Actor, code: FromPath[str],
    data: Annotated[ProgressForm, Form],
) -> Template | Redirect:  # fmt: skip
    return submit(
        session,
        lambda: services.add_progress(session, code, msgspec.structs.asdict(data), actor=actor,
                                      today=today),
        lambda _: f"/projects/{code}",
        lambda exc: project_page(request, session, today, code, exc.status_code,
                                 progress_form=msgspec.structs.asdict(data),
                                 progress_problems=problems_of(exc)),
    )  # fmt: skip


@post("/projects/{code:str}/progress/correct", sync_to_thread=True, include_in_schema=False)
def correction_form(
    request: Request, session: DbSession, today: Today, actor: Actor, code: FromPath[str],
    data: Annotated[CorrectionForm, Form],
) -> Template | Redirect:  # fmt: skip
    seen = dict(pair.split("=", 1) for pair in data.etags.split(",") if "=" in pair)
    changes = {"percent_complete": data.percent_complete,
               "spent_to_date_ntd": data.spent_to_date_ntd,
               "correction_reason": data.correction_reason}  # fmt: skip
    return submit(
        session,
        lambda: services.correct_progress(session, code, data.data_date, changes,
                                          seen.get(str(data.data_date)), actor=actor, today=today),
        lambda _: f"/projects/{code}",
        lambda exc: project_page(request, session, today, code, exc.status_code,
                                 correction_form=msgspec.structs.asdict(data) | {
                                     "data_date": str(data.data_date)},
                                 correction_problems=problems_of(exc)),
    )  # fmt: skip


@post("/milestones/{milestone_id:int}", sync_to_thread=True, include_in_schema=False)
def milestone_form(
    request: Request, session: DbSession, today: Today, actor: Actor, milestone_id: MilestoneId,
    data: Annotated[MilestoneForm, Form],
) -> Template | Redirect:  # fmt: skip
    """A milestone moved by a person: the form carries the version it was loaded with; if a
    colleague changed it since, the page shows their change beside the person's input."""
    code = services.get_milestone(session, milestone_id).package.project.code

    def again(exc: DomainError) -> Template:
        theirs = milestone_out(services.get_milestone(session, milestone_id), today)
        conflict = None
        if exc.status_code == 412:
            conflict = {"id": milestone_id, "theirs": theirs, "etag": theirs.etag,
                        "yours": data.changes()}  # fmt: skip
        return project_page(request, session, today, code, exc.status_code, conflict=conflict,
                            milestone_problems=problems_of(exc))  # fmt: skip

    return submit(
        session,
        lambda: services.update_milestone(session, milestone_id, data.changes(), data.etag,
                                          actor=actor, today=today),
        lambda _: f"/projects/{code}#m{milestone_id}",
        again,
    )  # fmt: skip


PAGES = [projects_page, project_detail_page, progress_form, correction_form, milestone_form]
