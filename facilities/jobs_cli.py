"""`facilities jobs ...` and `facilities scheduler`."""

from __future__ import annotations

import logging
import signal
import threading

import click

from facilities.db import Database
from facilities.settings import Settings, SettingsError


def _settings() -> Settings:
    try:
        return Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None


@click.group()
def jobs() -> None:
    """The scheduled jobs."""


@jobs.command(name="list")
def list_jobs() -> None:
    """One job a line: its name, its next run, what it does."""
    from facilities.scheduler import next_runs

    settings = _settings()
    db = Database(settings)
    try:
        for job_id, description, next_run in next_runs(db, settings):
            when = next_run.isoformat(timespec="minutes") if next_run else "paused"
            click.echo(f"{job_id}\t{when}\t{description}")
    finally:
        db.dispose()


@jobs.command(name="run")
@click.argument("name")
def run(name: str) -> None:
    """Run a job now, for the product's date (FACILITIES_AS_OF where set)."""
    from facilities.scheduler import job_specs, run_job

    if name not in job_specs():
        raise click.UsageError(f"no job is named '{name}': try one of {', '.join(job_specs())}")
    settings = _settings()
    db = Database(settings)
    try:
        click.echo(f"{name}: {run_job(db, settings, name)}")
    finally:
        db.dispose()


@click.command()
def scheduler() -> None:
    """Run the scheduler alone (for deployments that keep it out of the web processes)."""
    from facilities.scheduler import run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    logging.getLogger("apscheduler").setLevel(logging.INFO)
    settings = _settings()
    db = Database(settings)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    try:
        run_scheduler(db, settings, stop)
    finally:
        db.dispose()
