"""What the jobs leave behind: snapshots, alerts, the reports archive."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Response, Router
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter

from facilities.core.clock import bounded
from facilities.core.concurrency import IfMatch, tagged
from facilities.core.dependencies import Actor, AppSettings, DbSession
from facilities.core.http import (
    ACCESS,
    PRECONDITION_PROBLEMS,
    XLSX,
    file_response,
    get,
    media_type_of,
    post,
)
from facilities.core.paging import Limit, Offset, Page, page_of
from facilities.jobs import alerts
from facilities.jobs.archive import archived_path, list_archive
from facilities.jobs.schemas import (
    AlertOut,
    ArchivedFileOut,
    SnapshotOut,
    alert_out,
    archived_out,
    snapshot_out,
)
from facilities.jobs.snapshots import snapshots_between


@get("/snapshots", sync_to_thread=True, opt={ACCESS: "executive"})
def read_snapshots(
    session: DbSession,
    start: Annotated[date | None, QueryParameter(name="from")] = None,
    end: Annotated[date | None, QueryParameter(name="to")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[SnapshotOut]:
    start, end = bounded(start, "from"), bounded(end, "to")
    return snapshots_between(session, start, end, limit=limit, offset=offset).map(snapshot_out)


@get("/alerts", sync_to_thread=True, opt={ACCESS: "executive"})
def read_alerts(
    session: DbSession, open: FromQuery[bool] = False, limit: Limit = 100, offset: Offset = 0
) -> Page[AlertOut]:
    return alerts.list_alerts(session, open_only=open, limit=limit, offset=offset).map(alert_out)


@post(
    "/alerts/{alert_id:int}/ack", sync_to_thread=True, status_code=200,
    responses=PRECONDITION_PROBLEMS,
)  # fmt: skip
def acknowledge_alert(
    session: DbSession,
    actor: Actor,
    alert_id: Annotated[int, PathParameter(ge=1, le=2**31 - 1)],
    if_match: IfMatch = None,
) -> Response[AlertOut]:
    alert = alerts.acknowledge(session, alert_id, if_match, actor)
    return tagged(alert_out(alert), alert)


@get("/reports/archive", sync_to_thread=True)
def read_archive(
    settings: AppSettings, limit: Limit = 100, offset: Offset = 0
) -> Page[ArchivedFileOut]:
    return page_of(list_archive(settings), limit=limit, offset=offset).map(archived_out)


@get(
    "/reports/archive/{name:str}", sync_to_thread=True,
    responses={200: ResponseSpec(bytes, description="The filed report", media_type=XLSX)},
)  # fmt: skip
def download_archived(settings: AppSettings, name: FromPath[str]) -> Response[bytes]:
    path = archived_path(settings, name)
    return file_response(path.read_bytes(), media_type_of(path), path.name)


router = Router(
    path="/api/v1",
    route_handlers=[read_snapshots, read_alerts, acknowledge_alert, read_archive,
                    download_archived],
    tags=["jobs"],
)  # fmt: skip
