"""The product's scheduled work on APScheduler 3: job definitions from each domain, their state
in the product's own database, and one leader among many processes.

Only the process holding the leader lock runs jobs: a PostgreSQL session-level advisory lock
(released by the server when its holder dies, so a standby takes over), or a file lock beside
a SQLite database. After downtime a missed run happens once (coalesced)."""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import (
    Column,
    Connection,
    Date,
    Float,
    LargeBinary,
    String,
    Table,
    Unicode,
    select,
    text,
)  # fmt: skip
from sqlalchemy.orm import Mapped, Session, mapped_column

from facilities.clock import today
from facilities.db import Base, Database, UTCDateTime, utcnow
from facilities.settings import Settings

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Taipei"
LEADER_LOCK_KEY = 0x4E49_4102
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


@dataclass(frozen=True)
class JobSpec:
    id: str
    description: str
    trigger: BaseTrigger
    run: Callable[[Session, date, Settings], str]
    """Does the work in the given unit of work for the product's date; returns what it did."""


def job_specs() -> dict[str, JobSpec]:
    from facilities.domains import job_specs as domain_jobs

    return {spec.id: spec for spec in domain_jobs()}


def run_job(db: Database, settings: Settings, job_id: str, as_of: date | None = None) -> str:
    """Run one job now, in its own transaction, and log the run."""
    spec = job_specs()[job_id]
    as_of = as_of or today(settings)
    with db.session(write=True) as session:
        run = JobRun(job_id=job_id, as_of=as_of)
        session.add(run)
    try:
        with db.session(write=True) as session:
            detail = spec.run(session, as_of, settings)
    except Exception as exc:
        _finish(db, run.id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    _finish(db, run.id, "ok", detail)
    return detail


def _finish(db: Database, run_id: int, status: str, detail: str) -> None:
    with db.session(write=True) as session:
        run = session.get(JobRun, run_id)
        run.status, run.detail, run.finished_at = status, detail[:1000], utcnow()


_context: tuple[Database, Settings] | None = None


def run_scheduled(job_id: str) -> None:
    """What APScheduler calls (by reference, so its stored jobs survive restarts)."""
    if _context is None:
        raise RuntimeError("the scheduler's context is not set")
    db, settings = _context
    try:
        log.info("job %s: %s", job_id, run_job(db, settings, job_id))
    except Exception:
        log.exception("job %s failed", job_id)


def build_scheduler(db: Database, settings: Settings) -> BackgroundScheduler:
    global _context
    _context = (db, settings)
    return BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=db.engine, tablename=JOBSTORE_TABLE)},
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=TIMEZONE,
    )


def ensure_jobs(scheduler: BackgroundScheduler) -> None:
    """Add the jobs the store lacks; keep stored ones, so a run missed while down is still due."""
    for spec in job_specs().values():
        job = scheduler.get_job(spec.id)
        if job is None:
            scheduler.add_job(
                run_scheduled, spec.trigger, args=[spec.id], id=spec.id, name=spec.description
            )
        elif str(job.trigger) != str(spec.trigger):
            job.reschedule(spec.trigger)
    known = set(job_specs())
    for job in scheduler.get_jobs():
        if job.id not in known:
            job.remove()


class Leadership:
    """Try to become the one process that runs jobs; hold it until released or dead."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db, self.settings = db, settings
        self._connection: Connection | None = None
        self._file = None

    def try_acquire(self) -> bool:
        if self.db.engine.dialect.name == "postgresql":
            connection = self.db.engine.connect()
            took = connection.execute(
                text("SELECT pg_try_advisory_lock(:k)"), {"k": LEADER_LOCK_KEY}
            ).scalar()
            connection.commit()
            if took:
                self._connection = connection
            else:
                connection.close()
            return bool(took)
        path = Path(self.db.engine.url.database or "facilities.db")
        handle = open(path.with_name(path.name + ".scheduler-lock"), "w")  # noqa: SIM115
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            return False
        self._file = handle
        return True

    def still_held(self) -> bool:
        if self._connection is None:
            return self._file is not None
        try:
            self._connection.execute(text("SELECT 1"))
            self._connection.commit()
            return True
        except Exception:
            log.warning("lost the scheduler's leader lock connection")
            return False

    def release(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None
        if self._file is not None:
            self._file.close()
            self._file = None


def run_scheduler(db: Database, settings: Settings, stop: threading.Event) -> None:
    """Stand by until this process leads, then run jobs until `stop` is set or the lead is lost."""
    poll_seconds = settings.scheduler_poll_seconds
    leadership = Leadership(db, settings)
    while not stop.is_set():
        if not leadership.try_acquire():
            log.info("scheduler standing by: another process runs the jobs")
            stop.wait(poll_seconds)
            continue
        log.info("scheduler leading: running jobs")
        scheduler = build_scheduler(db, settings)
        scheduler.start(paused=True)
        ensure_jobs(scheduler)
        scheduler.resume()
        try:
            while not stop.wait(poll_seconds):
                if not leadership.still_held():
                    break
        finally:
            scheduler.shutdown(wait=True)
            leadership.release()


def next_runs(db: Database, settings: Settings) -> list[tuple[str, str, datetime | None]]:
    """(job id, description, next run) for every job, as stored, adding missing ones."""
    scheduler = build_scheduler(db, settings)
    scheduler.start(paused=True)
    try:
        ensure_jobs(scheduler)
        return [(j.id, j.name, j.next_run_time) for j in scheduler.get_jobs()]
    finally:
        scheduler.shutdown(wait=False)


def last_runs(session: Session, job_id: str, limit: int = 10) -> list[JobRun]:
    return list(
        session.scalars(
            select(JobRun).where(JobRun.job_id == job_id).order_by(JobRun.id.desc()).limit(limit)
        )
    )
