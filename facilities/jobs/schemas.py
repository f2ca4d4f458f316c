"""What the jobs' API answers: snapshots, alerts, the reports archive."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import msgspec

from facilities.jobs.archive import ArchivedFile
from facilities.jobs.models import Alert, Snapshot


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
    etag: str


class ArchivedFileOut(msgspec.Struct):
    name: str
    size_bytes: int
    written_at: datetime
    url: str


def snapshot_out(s: Snapshot) -> SnapshotOut:
    return SnapshotOut(s.as_of, s.figures)


def alert_out(a: Alert) -> AlertOut:
    return AlertOut(a.id, a.kind, a.entity, a.entity_id, a.message, a.raised_on,
                    a.acknowledged_at, a.acknowledged_by, a.etag)  # fmt: skip


def archived_out(f: ArchivedFile) -> ArchivedFileOut:
    return ArchivedFileOut(f.name, f.size_bytes, f.written_at, f"/api/v1/reports/archive/{f.name}")
