"""What the jobs leave behind: snapshots, alerts, the reports archive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec
from litestar import Router
from litestar.params import FromPath, FromQuery, PathParameter, QueryParameter
from litestar.response import File

from facilities import alerts as alert_service
from facilities.archive import archived_path, list_archive
from facilities.dependencies import Actor, AppSettings, DbSession
from facilities.http import get, post
from facilities.security import ACCESS
from facilities.snapshots import snapshots_between


class SnapshotOut(msgspec.Struct):
    as_of: date
    figures: dict[str, Any]


class AlertOut(msgspec.Struct):
    id: int
    kind: str
    entity: str
    entity_id: str
    message: str
    raised_on: date
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class ArchivedFileOut(msgspec.Struct):
    name: str
    size_bytes: int
    written_at: datetime
    url: str


def alert_out(a: alert_service.Alert) -> AlertOut:
    return AlertOut(a.id, a.kind, a.entity, a.entity_id, a.message, a.raised_on,
                    a.acknowledged_at, a.acknowledged_by)  # fmt: skip


@get("/snapshots", sync_to_thread=True, opt={ACCESS: "executive"})
def read_snapshots(
    session: DbSession,
    start: Annotated[date | None, QueryParameter(name="from")] = None,
    end: Annotated[date | None, QueryParameter(name="to")] = None,
) -> list[SnapshotOut]:
    return [SnapshotOut(s.as_of, s.figures) for s in snapshots_between(session, start, end)]


@get("/alerts", sync_to_thread=True, opt={ACCESS: "executive"})
def read_alerts(session: DbSession, open: FromQuery[bool] = False) -> list[AlertOut]:
    return [alert_out(a) for a in alert_service.list_alerts(session, open_only=open)]


@post("/alerts/{alert_id:int}/ack", sync_to_thread=True, status_code=200)
def acknowledge_alert(
    session: DbSession,
    actor: Actor,
    alert_id: Annotated[int, PathParameter(ge=1, le=2**31 - 1)],
) -> AlertOut:
    return alert_out(alert_service.acknowledge(session, alert_id, actor))


@get("/reports/archive", sync_to_thread=True)
def read_archive(settings: AppSettings) -> list[ArchivedFileOut]:
    return [
        ArchivedFileOut(f.name, f.size_bytes, f.written_at, f"/api/v1/reports/archive/{f.name}")
        for f in list_archive(settings)
    ]


@get("/reports/archive/{name:str}", sync_to_thread=True)
def download_archived(settings: AppSettings, name: FromPath[str]) -> File:
    path = archived_path(settings, name)
    return File(path=path, filename=path.name)


router = Router(
    path="/api/v1",
    route_handlers=[
        read_snapshots,
        read_alerts,
        acknowledge_alert,
        read_archive,
        download_archived,
    ],
    tags=["jobs"],
)
