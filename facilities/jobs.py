"""The product-wide jobs: the daily snapshot and the nightly alerts. Each domain adds its own
figures and alert conditions through `facilities.domains`."""

from __future__ import annotations

from datetime import date

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.orm import Session

from facilities.alerts import raise_alerts
from facilities.scheduler import TIMEZONE, JobSpec
from facilities.settings import Settings
from facilities.snapshots import take_snapshot


def snapshot(session: Session, as_of: date, settings: Settings) -> str:
    from facilities.domains import snapshot_parts

    taken = take_snapshot(session, as_of, snapshot_parts())
    return f"snapshot of {taken.as_of}: {', '.join(taken.figures)}"


def alerts(session: Session, as_of: date, settings: Settings) -> str:
    from facilities.domains import alert_sources

    raised = raise_alerts(session, as_of, alert_sources(), settings)
    return f"{len(raised)} new alert(s)"


JOBS = [
    JobSpec("snapshot", "Daily snapshot of the headline figures",
            CronTrigger(hour=1, minute=0, timezone=TIMEZONE), snapshot),
    JobSpec("alerts", "Nightly alerts: overdue milestones, leases ending, projects turning red",
            CronTrigger(hour=5, minute=30, timezone=TIMEZONE), alerts),
]  # fmt: skip
