"""The lease register's API and the rent-reduction report: thin handlers over the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import msgspec
from litestar import Request, Response, Router
from litestar.enums import RequestEncodingType
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body, FromQuery, JSONBody, PathParameter, QueryParameter
from litestar.response import Redirect, Template

from facilities.audit.services import history
from facilities.auth.middleware import may
from facilities.core.concurrency import IfMatch, IfMatchToReplace, tagged
from facilities.core.dependencies import Actor, DbSession, Reads, Today
from facilities.core.http import (
    CSV,
    PRECONDITION_PROBLEMS,
    REPLAY,
    WRITE_PROBLEMS,
    XLSX,
    ReportFormat,
    ReportOperation,
    file_response,
    get,
    patch,
    post,
    put,
    wanted_format,
)  # fmt: skip
from facilities.core.pages import page, problems_of, submit
from facilities.core.paging import Limit, Offset, Page
from leases import services
from leases.files import report_csv, report_xlsx
from leases.rules import Mode, PartYear
from leases.schemas import (
    LeaseCreate,
    LeaseDetail,
    LeaseOut,
    LeasePatch,
    RentIn,
    RentOut,
    RentReportOut,
    lease_out,
    rent_out,
    report_out,
)  # fmt: skip

LeaseId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]


@get("/leases", sync_to_thread=True)
def list_leases(
    session: DbSession,
    today: Today,
    site_code: FromQuery[str | None] = None,
    expiring_within_days: Annotated[
        int | None,
        QueryParameter(
            ge=0,
            le=3650,
            description="Leases whose end or notice date falls within "
            "this many days of the product's date",
        ),
    ] = None,  # fmt: skip
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[LeaseOut]:
    leases = services.list_leases(
        session, today=today, site_code=site_code, expiring_within_days=expiring_within_days,
        limit=limit, offset=offset,
    )  # fmt: skip
    return leases.map(lambda lease: lease_out(lease, today))


@get("/leases/{lease_id:int}", sync_to_thread=True)
def get_lease(session: DbSession, today: Today, lease_id: LeaseId) -> Response[LeaseDetail]:
    lease = services.get_lease(session, lease_id)
    return tagged(lease_out(lease, today, detail=True), lease)


@post("/leases", sync_to_thread=True)
def create_lease(
    session: DbSession, today: Today, actor: Actor, data: JSONBody[LeaseCreate]
) -> Response[LeaseDetail]:
    lease = services.create_lease(session, msgspec.structs.asdict(data), actor=actor)
    return tagged(lease_out(lease, today, detail=True), lease, 201)


@patch("/leases/{lease_id:int}", sync_to_thread=True)
def update_lease(
    session: DbSession, today: Today, actor: Actor, lease_id: LeaseId, data: JSONBody[LeasePatch],
    if_match: IfMatch = None,
) -> Response[LeaseDetail]:  # fmt: skip
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    lease = services.update_lease(session, lease_id, changes, if_match, actor=actor)
    return tagged(lease_out(lease, today, detail=True), lease)


@put(
    "/leases/{lease_id:int}/rents/{fiscal_year:int}", sync_to_thread=True,
    responses={201: ResponseSpec(RentOut, description="A new yearly rent was recorded"),
               **PRECONDITION_PROBLEMS},
)  # fmt: skip
def put_rent(
    session: DbSession,
    actor: Actor,
    lease_id: LeaseId,
    fiscal_year: Annotated[int, PathParameter(ge=1990, le=2100)],
    data: JSONBody[RentIn],
    if_match: IfMatchToReplace = None,
) -> Response[RentOut]:
    """Record the rent paid in a fiscal year: 201 when new, 200 when it replaces one (which
    needs If-Match with the year's ETag)."""
    row, created = services.put_rent(
        session, lease_id, fiscal_year, data.rent_ntd, actor=actor, if_match=if_match
    )
    return tagged(rent_out(row), row, 201 if created else 200)


RENDERERS = {
    ReportFormat.json: (
        lambda report: msgspec.json.encode(report_out(report)),
        "application/json",
    ),
    ReportFormat.csv: (report_csv, CSV),
    ReportFormat.xlsx: (report_xlsx, XLSX),
}


@get(
    "/reports/rent-reduction", responses={422: WRITE_PROBLEMS[422]}, opt={REPLAY: True},
    operation_class=ReportOperation,
    description="The rent-reduction report per office and in total. `format=csv|xlsx` (or an "
    "Accept header of text/csv or the xlsx media type) gives the file a liaison hands on. "
    "`part_year=annualise|exclude` overrides how a reference year spent only in part in rented "
    "space counts.",
)  # fmt: skip
async def rent_reduction(
    request: Request,
    reading: Reads,
    fiscal_year: Annotated[
        int | None,
        QueryParameter(ge=1990, le=2100, description="Default: the latest with rent recorded"),
    ] = None,
    mode: FromQuery[Mode | None] = None,
    rate: Annotated[float | None, QueryParameter(ge=0, le=100, description="Percent")] = None,
    baseline_fiscal_year: Annotated[int | None, QueryParameter(ge=1990, le=2100)] = None,
    part_year: FromQuery[PartYear | None] = None,
    format: FromQuery[ReportFormat | None] = None,
) -> Response[RentReportOut]:
    db, cache, today = reading.db, reading.cache, reading.today
    chosen = wanted_format(request, format)
    render, media_type = RENDERERS[chosen]

    def compute() -> tuple[str, bytes]:
        with db.session() as session:
            rate_pct = Decimal(str(rate)) if rate is not None else None
            rule = services.rule_for(session, mode, rate_pct, baseline_fiscal_year, part_year)
            report = services.rent_reduction_report(session, fiscal_year, rule, today)
        name = f"rent-reduction-FY{report.fiscal_year}-{rule.mode.value}.{chosen.value}"
        return name, render(report)

    key = ("rent_report", fiscal_year, mode, rate, baseline_fiscal_year, part_year, chosen, today)
    filename, body = await cache.answer(key, compute)
    if chosen is ReportFormat.json:
        return Response(body, media_type=media_type)
    return file_response(body, media_type, filename)


router = Router(
    path="/api/v1",
    route_handlers=[
        list_leases,
        get_lease,
        create_lease,
        update_lease,
        put_rent,
        rent_reduction,
    ],  # fmt: skip
    tags=["leases"],
)


class RentForm(msgspec.Struct):
    fiscal_year: int
    rent_ntd: int
    etags: str = ""
    """The ETags of the rents the page showed, "YEAR=ETAG,...": a year already recorded is
    replaced only as it was seen."""


@get("/leases", sync_to_thread=True, include_in_schema=False)
def leases_page(
    session: DbSession, today: Today, site_code: FromQuery[str | None] = None,
    expiring_within_days: Annotated[int | None, QueryParameter(ge=0, le=3650)] = None,
    offset: Offset = 0,
) -> Template:  # fmt: skip
    found = services.list_leases(session, today=today, site_code=site_code or None,
                                 expiring_within_days=expiring_within_days, limit=100,
                                 offset=offset)  # fmt: skip
    params = {"site_code": site_code or "", "expiring_within_days": expiring_within_days or ""}
    return page("leases/list.html", page=found.map(lambda x: lease_out(x, today)), params=params,
                query={k: v for k, v in params.items() if v != ""})  # fmt: skip


def lease_page(
    request: Request, session: DbSession, today: Today, lease_id: int, status: int = 200,
    form: dict | None = None, problems: list[str] | None = None,
) -> Template:  # fmt: skip
    lease = services.get_lease(session, lease_id)
    etags = ",".join(f"{r.fiscal_year}={r.etag}" for r in lease.rents)
    audit = history(session, "lease", str(lease_id)) if may(request, "executive") else None
    return page("leases/detail.html", status, lease=lease_out(lease, today, detail=True),
                audit=audit, can_write=may(request, "write"), etags=etags,
                form=form or {"fiscal_year": today.year, "rent_ntd": ""},
                problems=problems or [])  # fmt: skip


@get("/leases/{lease_id:int}", sync_to_thread=True, include_in_schema=False)
def lease_detail_page(
    request: Request, session: DbSession, today: Today, lease_id: LeaseId
) -> Template:
    return lease_page(request, session, today, lease_id)


@post("/leases/{lease_id:int}/rents", sync_to_thread=True, include_in_schema=False)
def rent_form(
    request: Request, session: DbSession, today: Today, actor: Actor, lease_id: LeaseId,
    data: Annotated[RentForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:  # fmt: skip
    seen = dict(pair.split("=", 1) for pair in data.etags.split(",") if "=" in pair)
    return submit(
        session,
        lambda: services.put_rent(session, lease_id, data.fiscal_year, data.rent_ntd,
                                  actor=actor, if_match=seen.get(str(data.fiscal_year))),
        lambda _: f"/leases/{lease_id}",
        lambda exc: lease_page(request, session, today, lease_id, exc.status_code,
                               msgspec.structs.asdict(data), problems_of(exc)),
    )  # fmt: skip


PAGES = [leases_page, lease_detail_page, rent_form]
