"""`facilities jobs ...` and `facilities scheduler`, for the jobs the composition root hands in."""

from __future__ import annotations

import logging
import signal
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

import click

from facilities.core.cli import database, load_settings
from facilities.jobs.scheduler import Context, JobSpec, by_id, next_runs, run_job, run_scheduler

Specs = Callable[[], Sequence[JobSpec]]


def commands(specs: Specs) -> list[click.Command]:
    @click.group()
    def jobs() -> None:
        """The scheduled jobs."""

    @jobs.command(name="list")
    def list_jobs() -> None:
        """One job a line: its name, its next run, what it does. Reads the job store only."""
        now = datetime.now(UTC)
        with database() as db:
            for job_id, description, next_run in next_runs(db, by_id(specs())):
                when = next_run.isoformat(timespec="minutes") if next_run else "paused"
                due = " (due: missed while no scheduler ran)" if next_run and next_run < now else ""
                click.echo(f"{job_id}\t{when}{due}\t{description}")

    @jobs.command(name="run")
    @click.argument("name")
    def run(name: str) -> None:
        """Run a job now, for the product's date (FACILITIES_AS_OF where set)."""
        known = by_id(specs())
        if name not in known:
            raise click.UsageError(f"no job is named '{name}': try one of {', '.join(known)}")
        settings = load_settings()
        with database(settings) as db:
            click.echo(f"{name}: {run_job(db, settings, known[name])}")

    @click.command()
    def scheduler() -> None:
        """Run the scheduler alone (for deployments that keep it out of the web processes)."""
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
        logging.getLogger("apscheduler").setLevel(logging.INFO)
        settings = load_settings()
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        with database(settings) as db:
            run_scheduler(Context(db, settings, by_id(specs())), stop)

    return [jobs, scheduler]
