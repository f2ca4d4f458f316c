"""What the jobs keep in the database: APScheduler's job store, each run of a job, the alerts
they raise and the daily snapshots they take."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Date, Float, LargeBinary, String, Table, Unicode
from sqlalchemy.orm import Mapped, mapped_column

from facilities.core.orm import AuditColumns, Base, UTCDateTime, Versioned, utcnow

JOBSTORE_TABLE = "apscheduler_jobs"

# APScheduler's own job table, declared here so that Alembic creates it with the rest.
Table(
    JOBSTORE_TABLE,
    Base.metadata,
    Column("id", Unicode(191), primary_key=True),
    Column("next_run_time", Float(25), index=True),
    Column("job_state", LargeBinary, nullable=False),
)


class JobRun(Base):
    """One run of a job: when, for which product date, and what it did."""

    __tablename__ = "job_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[str] = mapped_column(String(40), index=True)
    as_of: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    status: Mapped[str] = mapped_column(String(20), default="running")
    detail: Mapped[str] = mapped_column(String(1000), default="")


class Alert(Versioned, AuditColumns, Base):
    __tablename__ = "alerts"

    kind: Mapped[str] = mapped_column(String(40), index=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    entity: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[str] = mapped_column(String(64))
    message: Mapped[str] = mapped_column(String(500))
    raised_on: Mapped[date] = mapped_column(Date)
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    acknowledged_by: Mapped[str | None] = mapped_column(String(100))


class Snapshot(AuditColumns, Base):
    __tablename__ = "snapshots"

    as_of: Mapped[date] = mapped_column(Date, unique=True)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON)
