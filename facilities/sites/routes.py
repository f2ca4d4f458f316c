"""The site register's API: thin handlers over `facilities.sites.services`."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

import msgspec
from litestar import Request, Response, Router
from litestar.datastructures import UploadFile
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, JSONBody, Parameter, QueryParameter
from litestar.response import Template

from facilities.audit.services import history
from facilities.auth.middleware import may
from facilities.core.concurrency import IfMatch, tagged
from facilities.core.dependencies import Actor, DbSession, Reads, Today
from facilities.core.errors import DomainError
from facilities.core.files import MAX_FILE_BYTES
from facilities.core.http import (
    ACCESS,
    PRECONDITION_PROBLEMS,
    REPLAY,
    get,
    json_answer,
    patch,
    post,
    put,
)
from facilities.core.pages import page, problems_of
from facilities.core.paging import Limit, Offset, Page
from facilities.sites import services
from facilities.sites.files import read_sites
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


@get("/sites", opt={REPLAY: True})
async def list_sites(
    reading: Reads,
    ownership: FromQuery[Ownership | None] = None,
    county: Annotated[str | None, QueryParameter(description="English or Chinese name")] = None,
    site_type: FromQuery[SiteType | None] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response[Page[SiteOut]]:
    db, cache = reading.db, reading.cache

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


SORT_LABELS = [("code", "代碼 Code"), ("name_zh", "名稱 Name"), ("county", "縣市 County"),
               ("site_type", "類型 Type"), ("ownership", "權屬 Ownership"),
               ("ownership_since", "起始 Since"), ("floor_area_m2", "面積 Area")]  # fmt: skip
PAGE_SIZE = 100


@get("/sites", sync_to_thread=True, include_in_schema=False)
def sites_page(
    request: Request,
    session: DbSession,
    ownership: FromQuery[Ownership | None] = None,
    county: FromQuery[str | None] = None,
    site_type: FromQuery[SiteType | None] = None,
    sort: FromQuery[str] = "code",
    offset: Offset = 0,
) -> Template:
    """The register as a table to filter, sort and page through."""
    found = services.list_sites(
        session,
        ownership=ownership,
        county=county or None,
        site_type=site_type,
        sort=sort,
        limit=PAGE_SIZE,
        offset=offset,
    )
    params = {"ownership": ownership or "", "county": county or "", "site_type": site_type or "",
              "sort": sort}  # fmt: skip
    return page(
        "sites/list.html", page=found.map(site_out), params=params,
        query={k: v for k, v in params.items() if v}, sorts=SORT_LABELS,
        ownerships=[(o.value, o.zh) for o in Ownership],
        site_types=[(t.value, t.zh) for t in SiteType],
        counties=services.counties(session), can_write=may(request, "write"),
    )  # fmt: skip


@get("/sites/{code:str}", sync_to_thread=True, include_in_schema=False)
def site_page(request: Request, session: DbSession, code: FromPath[str]) -> Template:
    site = services.get_site(session, code)
    audit = history(session, "site", code) if may(request, "executive") else None
    return page("sites/detail.html", site=site_out(site, detail=True), audit=audit)


@get("/sites/import", sync_to_thread=False, include_in_schema=False, opt={ACCESS: "write"})
def import_page() -> Template:
    return page("sites/import.html", result=None, problems=[], detail="")


@post("/sites/import", sync_to_thread=True, include_in_schema=False, status_code=200)
def import_form(
    session: DbSession, actor: Actor, today: Today,
    data: Annotated[UploadFile, Body(media_type=RequestEncodingType.MULTI_PART)],
) -> Template:  # fmt: skip
    """A sites file uploaded by a person: every bad line shown, or what changed."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / Path(data.filename or "sites.csv").name
        path.write_bytes(data.file.read(MAX_FILE_BYTES + 1))
        try:
            result = services.import_sites(session, read_sites(path), actor=actor, today=today)
        except DomainError as exc:
            session.rollback()
            return page("sites/import.html", 422, result=None, problems=problems_of(exc),
                        detail=exc.detail)  # fmt: skip
    return page("sites/import.html", result=result, problems=[], detail="")


PAGES = [sites_page, import_page, import_form, site_page]
