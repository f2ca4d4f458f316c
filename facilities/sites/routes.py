"""The site register's API: thin handlers over `facilities.sites.services`."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Response, Router
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from facilities.core.clock import resolve_as_of
from facilities.core.dependencies import Actor, AppSettings, Cache, Db, DbSession, Today
from facilities.core.http import get, json_answer, patch, post
from facilities.core.paging import Limit, Offset, Page
from facilities.sites import services
from facilities.sites.models import Site
from facilities.sites.rules import Breakdown, Ownership, SiteType, Summary
from facilities.sites.schemas import (
    CountyBreakdownOut,
    OwnershipChangeOut,
    OwnershipSummaryOut,
    ShareOut,
    SiteCreate,
    SiteDetail,
    SiteOut,
    SitePatch,
)

PRINTED_NOTE = (
    "share_pct is rounded to one decimal; share_pct_printed is truncated to a whole percent, "
    "as the FY2014 budget document prints it (21/26/52%)."
)


def site_out(site: Site, detail: bool = False) -> SiteOut:
    fields = dict(
        code=site.code, name=site.name, name_zh=site.name_zh, county=site.county.name,
        county_zh=site.county.name_zh, site_type=site.site_type,
        site_type_zh=SiteType(site.site_type).zh, ownership=site.ownership,
        ownership_zh=Ownership(site.ownership).zh, ownership_since=site.ownership_since,
        address_zh=site.address_zh, lat=site.lat, lon=site.lon,
        floor_area_m2=site.floor_area_m2, lending_agency=site.lending_agency,
        loan_end_date=site.loan_end_date, state_land_obtained=site.state_land_obtained,
        closed_on=site.closed_on, provenance=site.provenance, updated_at=site.updated_at,
    )  # fmt: skip
    if not detail:
        return SiteOut(**fields)
    history = [
        OwnershipChangeOut(
            ownership=h.ownership,
            ownership_zh=Ownership(h.ownership).zh,
            effective_date=h.effective_date,
            note=h.note,
        )  # fmt: skip
        for h in site.history
    ]
    return SiteDetail(**fields, history=history)


def breakdown_out(breakdown: Breakdown) -> dict:
    return {
        "total": breakdown.total,
        "ownership": {
            s.ownership: ShareOut(s.count, s.share_pct, s.share_pct_printed, s.label_zh)
            for s in breakdown.shares
        },
    }


def summary_out(summary: Summary) -> OwnershipSummaryOut:
    national = breakdown_out(summary.national)
    return OwnershipSummaryOut(
        as_of=summary.as_of,
        total=national["total"],
        ownership=national["ownership"],
        counties=[
            CountyBreakdownOut(**breakdown_out(c.breakdown), county=c.county, county_zh=c.county_zh)
            for c in summary.counties
        ],
        note=PRINTED_NOTE,
    )


@get("/sites")
async def list_sites(
    db: Db,
    cache: Cache,
    ownership: FromQuery[Ownership | None] = None,
    county: Annotated[str | None, QueryParameter(description="English or Chinese name")] = None,
    site_type: FromQuery[SiteType | None] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[Page[SiteOut]]:
    def compute() -> bytes:
        with db.session() as session:
            sites = services.list_sites(
                session, ownership=ownership, county=county, site_type=site_type,
                limit=limit, offset=offset,
            )  # fmt: skip
            return msgspec.json.encode(sites.map(site_out))

    key = ("sites", ownership, county, site_type, limit, offset)
    return json_answer(await cache.answer(key, compute))


@get("/sites/{code:str}", sync_to_thread=True)
def get_site(session: DbSession, code: FromPath[str]) -> SiteDetail:
    return site_out(services.get_site(session, code), detail=True)


@post("/sites", sync_to_thread=True)
def create_site(
    session: DbSession, data: JSONBody[SiteCreate], actor: Actor, today: Today
) -> SiteDetail:
    site = services.create_site(session, msgspec.structs.asdict(data), actor=actor, today=today)
    return site_out(site, detail=True)


@patch("/sites/{code:str}", sync_to_thread=True)
def update_site(
    session: DbSession, code: FromPath[str], data: JSONBody[SitePatch], actor: Actor, today: Today
) -> SiteDetail:
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    site = services.update_site(session, code, changes, actor=actor, today=today)
    return site_out(site, detail=True)


@get("/ownership/summary")
async def ownership_summary(
    db: Db, settings: AppSettings, cache: Cache, as_of: FromQuery[date | None] = None
) -> Response[OwnershipSummaryOut]:
    day = resolve_as_of(settings, as_of)

    def compute() -> bytes:
        with db.session() as session:
            return msgspec.json.encode(summary_out(services.ownership_summary(session, day)))

    return json_answer(await cache.answer(("ownership_summary", day), compute))


router = Router(
    path="/api/v1",
    route_handlers=[list_sites, get_site, create_site, update_site, ownership_summary],
    tags=["sites"],
)
