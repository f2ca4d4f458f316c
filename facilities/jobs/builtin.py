"""The product-wide jobs: the daily snapshot and the nightly alerts. Each domain's figures and
alert conditions are handed in by the composition root."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.orm import Session

from facilities.core.settings import Settings
from facilities.jobs.alerts import AlertSource, raise_alerts
from facilities.jobs.scheduler import TIMEZONE, JobSpec
from facilities.jobs.snapshots import SnapshotPart, take_snapshot


def snapshot_job(parts: dict[str, SnapshotPart]) -> JobSpec:
    def snapshot(session: Session, as_of: date, settings: Settings) -> str:
        taken = take_snapshot(session, as_of, parts)
        return f"snapshot of {taken.as_of}: {', '.join(taken.figures)}"

    return JobSpec("snapshot", "Daily snapshot of the headline figures",
                   CronTrigger(hour=1, minute=0, timezone=TIMEZONE), snapshot)  # fmt: skip


def alerts_job(sources: Sequence[AlertSource]) -> JobSpec:
    def alerts(session: Session, as_of: date, settings: Settings) -> str:
        raised = raise_alerts(session, as_of, list(sources), settings)
        return f"{len(raised)} new alert(s)"

    return JobSpec(
        "alerts", "Nightly alerts: overdue milestones, leases ending, projects turning red",
        CronTrigger(hour=5, minute=30, timezone=TIMEZONE), alerts,
    )  # fmt: skip
