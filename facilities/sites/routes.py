"""The site register's API: thin handlers over `facilities.sites.services`."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Response, Router
from litestar.params import FromPath, FromQuery, JSONBody, Parameter, QueryParameter

from facilities.core.concurrency import IfMatch, tagged
from facilities.core.dependencies import Actor, Cache, Db, DbSession, Today
from facilities.core.http import PRECONDITION_PROBLEMS, get, json_answer, patch, post, put
from facilities.core.paging import Limit, Offset, Page
from facilities.sites import services
from facilities.sites.models import Site
from facilities.sites.rules import Ownership, SiteType
from facilities.sites.schemas import (
    CountyPipelineOut,
    OwnershipChangeOut,
    PipelineMove,
    SiteCreate,
    SiteDetail,
    SiteOut,
    SitePatch,
    pipeline_out,
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
        etag=site.etag,
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
def get_site(session: DbSession, code: FromPath[str]) -> Response[SiteDetail]:
    site = services.get_site(session, code)
    return tagged(site_out(site, detail=True), site)


@post("/sites", sync_to_thread=True)
def create_site(
    session: DbSession, data: JSONBody[SiteCreate], actor: Actor, today: Today
) -> Response[SiteDetail]:
    site = services.create_site(session, msgspec.structs.asdict(data), actor=actor, today=today)
    return tagged(site_out(site, detail=True), site, 201)


@patch("/sites/{code:str}", sync_to_thread=True)
def update_site(
    session: DbSession, code: FromPath[str], data: JSONBody[SitePatch], actor: Actor,
    today: Today, if_match: IfMatch = None,
) -> Response[SiteDetail]:  # fmt: skip
    changes = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    site = services.update_site(session, code, changes, if_match, actor=actor, today=today)
    return tagged(site_out(site, detail=True), site)


@put(
    "/ownership/pipeline/{county:str}", sync_to_thread=True, responses=PRECONDITION_PROBLEMS,
    description="Move one track of a county's road to full ownership to a stage (the county's "
    "own, or a site's): forward, or back with a `reason`; `reached_on` not after the product's "
    "date nor before the track's last move; 'owned' only once every site on the track is owned. "
    "If-Match: the county's ETag (GET /api/v1/ownership/pipeline). Audited.",
)  # fmt: skip
def move_stage(
    session: DbSession, county: Annotated[str, Parameter(description="English or Chinese name")],
    data: JSONBody[PipelineMove], actor: Actor, today: Today, if_match: IfMatch = None,
) -> Response[CountyPipelineOut]:  # fmt: skip
    fields = {k: v for k, v in msgspec.structs.asdict(data).items() if v is not msgspec.UNSET}
    pipeline = services.move_stage(session, county, fields, if_match, actor=actor, today=today)
    view = services.pipeline_view(session, pipeline, today)
    return tagged(pipeline_out(view, pipeline.etag), pipeline)


router = Router(
    path="/api/v1",
    route_handlers=[list_sites, get_site, create_site, update_site, move_stage],
    tags=["sites"],
)
