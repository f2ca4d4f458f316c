"""The lease register's API and the rent-reduction report: thin handlers over the services."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated

import msgspec
from litestar import Request, Response, Router
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromQuery, JSONBody, PathParameter, QueryParameter

from facilities.core.concurrency import IfMatch, IfMatchToReplace, tagged
from facilities.core.dependencies import Actor, Cache, Db, DbSession, Today
from facilities.core.http import (
    CSV,
    PRECONDITION_PROBLEMS,
    WRITE_PROBLEMS,
    XLSX,
    file_response,
    get,
    patch,
    post,
    put,
)
from facilities.core.paging import Limit, Offset, Page
from leases import services
from leases.files import report_csv, report_xlsx
from leases.rules import Mode
from leases.schemas import (
    LeaseCreate,
    LeaseDetail,
    LeaseOut,
    LeasePatch,
    RelocationSavingsOut,
    RentIn,
    RentOut,
    RentReportOut,
    lease_out,
    relocation_out,
    rent_out,
    report_out,
)  # fmt: skip

LeaseId = Annotated[int, PathParameter(ge=1, le=2**31 - 1)]


class ReportFormat(StrEnum):
    json = "json"
    csv = "csv"
    xlsx = "xlsx"


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


def wanted_format(request: Request, format: ReportFormat | None) -> ReportFormat:
    if format is not None:
        return format
    accept = request.headers.get("accept", "")
    if XLSX in accept or "spreadsheetml" in accept:
        return ReportFormat.xlsx
    if "text/csv" in accept:
        return ReportFormat.csv
    return ReportFormat.json


RENDERERS = {
    ReportFormat.json: (
        lambda report: msgspec.json.encode(report_out(report)),
        "application/json",
    ),
    ReportFormat.csv: (report_csv, CSV),
    ReportFormat.xlsx: (report_xlsx, XLSX),
}


@get(
    "/reports/rent-reduction", responses={422: WRITE_PROBLEMS[422]},
    description="The rent-reduction report per office and in total. `format=csv|xlsx` (or an "
    "Accept header of text/csv or the xlsx media type) gives the file a liaison hands on.",
)  # fmt: skip
async def rent_reduction(
    request: Request,
    db: Db,
    cache: Cache,
    today: Today,
    fiscal_year: Annotated[
        int | None,
        QueryParameter(ge=1990, le=2100, description="Default: the latest with rent recorded"),
    ] = None,
    mode: FromQuery[Mode | None] = None,
    rate: Annotated[float | None, QueryParameter(ge=0, le=100, description="Percent")] = None,
    baseline_fiscal_year: Annotated[int | None, QueryParameter(ge=1990, le=2100)] = None,
    format: FromQuery[ReportFormat | None] = None,
) -> Response[RentReportOut]:
    chosen = wanted_format(request, format)
    render, media_type = RENDERERS[chosen]

    def compute() -> tuple[str, bytes]:
        with db.session() as session:
            rate_pct = Decimal(str(rate)) if rate is not None else None
            rule = services.rule_for(session, mode, rate_pct, baseline_fiscal_year)
            report = services.rent_reduction_report(session, fiscal_year, rule, today)
        name = f"rent-reduction-FY{report.fiscal_year}-{rule.mode.value}.{chosen.value}"
        return name, render(report)

    key = ("rent_report", fiscal_year, mode, rate, baseline_fiscal_year, chosen, today)
    filename, body = await cache.answer(key, compute)
    if chosen is ReportFormat.json:
        return Response(body, media_type=media_type)
    return file_response(body, media_type, filename)


@get(
    "/reports/relocation-savings", sync_to_thread=True,
    description="For each new migration service center, the annual rent of the leased offices "
    "it will replace (the rent paid in the fiscal year, else the contracted rent). Centers are "
    "keyed by their own key and county, not by a construction project's code.",
)  # fmt: skip
def relocation_savings(
    session: DbSession,
    today: Today,
    fiscal_year: Annotated[
        int | None,
        QueryParameter(ge=1990, le=2100, description="Default: the latest with rent recorded"),
    ] = None,
) -> RelocationSavingsOut:
    everyone = services.offices(session)
    year, note = services.fiscal_year_for(everyone, fiscal_year, today)
    centers = services.relocation_savings(session, year, everyone)
    return relocation_out(centers, year, today, note)


router = Router(
    path="/api/v1",
    route_handlers=[
        list_leases,
        get_lease,
        create_lease,
        update_lease,
        put_rent,
        rent_reduction,
        relocation_savings,
    ],  # fmt: skip
    tags=["leases"],
)
