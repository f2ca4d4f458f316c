"""The product's scheduled work on APScheduler 3: the jobs the composition root hands in, their
state in the product's own database, and one leader among many processes.

Only the process holding the leader lock runs jobs: a PostgreSQL session-level advisory lock
(released by the server when its holder dies, so a standby takes over), or a file lock beside
a SQLite database. After downtime a missed run happens once (coalesced)."""

from __future__ import annotations

import fcntl
import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.base import BaseTrigger
from sqlalchemy import Column, Connection, Float, MetaData, Table, Unicode, select, text
from sqlalchemy.orm import Session

from facilities.core.clock import today
from facilities.core.db import Database
from facilities.core.orm import utcnow
from facilities.core.settings import Settings
from facilities.jobs.models import JOBSTORE_TABLE, JobRun

log = logging.getLogger(__name__)
TIMEZONE = "Asia/Taipei"
LEADER_LOCK_KEY = 0x4E49_4102


@dataclass(frozen=True)
class JobSpec:
    id: str
    description: str
    trigger: BaseTrigger
    run: Callable[[Session, date, Settings], str]
    """Does the work in the given unit of work for the product's date; returns what it did."""


class JobSkipped(Exception):  # noqa: N818  (a run that had nothing to do, not an error)
    """Raised by a job that has nothing to do on this date; its message says why."""


def by_id(specs: Sequence[JobSpec]) -> dict[str, JobSpec]:
    return {spec.id: spec for spec in specs}


def run_job(db: Database, settings: Settings, spec: JobSpec, as_of: date | None = None) -> str:
    """Run one job now, in its own transaction, and log the run."""
    as_of = as_of or today(settings)
    with db.session(write=True) as session:
        run = JobRun(job_id=spec.id, as_of=as_of)
        session.add(run)
    try:
        with db.session(write=True) as session:
            detail = spec.run(session, as_of, settings)
    except JobSkipped as exc:
        _finish(db, run.id, "skipped", str(exc))
        return f"skipped: {exc}"
    except Exception as exc:
        _finish(db, run.id, "failed", f"{type(exc).__name__}: {exc}")
        raise
    _finish(db, run.id, "ok", detail)
    return detail


def _finish(db: Database, run_id: int, status: str, detail: str) -> None:
    with db.session(write=True) as session:
        run = session.get(JobRun, run_id)
        run.status, run.detail, run.finished_at = status, detail[:1000], utcnow()


@dataclass(frozen=True)
class Context:
    db: Database
    settings: Settings
    specs: dict[str, JobSpec]


_context: Context | None = None


def run_scheduled(job_id: str) -> None:
    """What APScheduler calls (by reference, so its stored jobs survive restarts)."""
    if _context is None:
        raise RuntimeError("the scheduler's context is not set")
    try:
        detail = run_job(_context.db, _context.settings, _context.specs[job_id])
        log.info("job %s: %s", job_id, detail)
    except Exception:
        log.exception("job %s failed", job_id)


def build_scheduler(context: Context) -> BackgroundScheduler:
    global _context
    _context = context
    return BackgroundScheduler(
        jobstores={
            "default": SQLAlchemyJobStore(engine=context.db.engine, tablename=JOBSTORE_TABLE)
        },
        job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        timezone=TIMEZONE,
    )


def ensure_jobs(scheduler: BackgroundScheduler, specs: dict[str, JobSpec]) -> None:
    """Add the jobs the store lacks; keep stored ones, so a run missed while down is still due."""
    for spec in specs.values():
        job = scheduler.get_job(spec.id)
        if job is None:
            scheduler.add_job(
                run_scheduled, spec.trigger, args=[spec.id], id=spec.id, name=spec.description
            )
        elif str(job.trigger) != str(spec.trigger):
            job.reschedule(spec.trigger)
    for job in scheduler.get_jobs():
        if job.id not in specs:
            job.remove()


class Leadership:
    """Try to become the one process that runs jobs; hold it until released or dead."""

    def __init__(self, db: Database) -> None:
        self.db = db
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


def run_scheduler(context: Context, stop: threading.Event) -> None:
    """Stand by until this process leads, then run jobs until `stop` is set or the lead is lost."""
    poll_seconds = context.settings.scheduler_poll_seconds
    leadership = Leadership(context.db)
    while not stop.is_set():
        if not leadership.try_acquire():
            log.info("scheduler standing by: another process runs the jobs")
            stop.wait(poll_seconds)
            continue
        log.info("scheduler leading: running jobs")
        scheduler = build_scheduler(context)
        scheduler.start(paused=True)
        ensure_jobs(scheduler, context.specs)
        scheduler.resume()
        try:
            while not stop.wait(poll_seconds):
                if not leadership.still_held():
                    break
                scheduler.wakeup()  # a run another process made due (a restore, a CLI) is seen
        finally:
            scheduler.shutdown(wait=True)
            leadership.release()


def next_runs(db: Database, specs: dict[str, JobSpec]) -> list[tuple[str, str, datetime | None]]:
    """(job id, description, next run) for every job: as the job store holds it (a run missed
    while every scheduler was down shows as past, due), or for a job not stored yet, from its
    trigger. Reads only: no scheduler starts, nothing moves."""
    table = Table(JOBSTORE_TABLE, MetaData(), Column("id", Unicode), Column("next_run_time", Float))
    with db.engine.connect() as connection:
        stored = dict(connection.execute(select(table.c.id, table.c.next_run_time)).all())
    now = datetime.now(UTC)
    return [
        (spec.id, spec.description,
         datetime.fromtimestamp(stored[spec.id], UTC) if stored.get(spec.id) is not None
         else None if spec.id in stored else spec.trigger.get_next_fire_time(None, now))
        for spec in specs.values()
    ]  # fmt: skip


def store_jobs(context: Context) -> None:
    """Add the jobs the store lacks (what a starting scheduler does)."""
    scheduler = build_scheduler(context)
    scheduler.start(paused=True)
    try:
        ensure_jobs(scheduler, context.specs)
    finally:
        scheduler.shutdown(wait=False)
