"""The `facilities` command: every package's commands under one group, and the two that need
the whole product (`init`, `serve`)."""

from __future__ import annotations

import threading

import click
import uvicorn

from construction.cli import EXPORTS as PROJECT_EXPORTS
from construction.cli import REPORTS as PROJECT_REPORTS
from facilities.auth.cli import tokens, users
from facilities.auth.services import anyone_can_log_in
from facilities.core.cli import database, load_settings
from facilities.domains import (
    REFERENCE_DATA,
    job_specs,
    migration_locations,
    register_sheets,
    seed_loaders,
)
from facilities.jobs import cli as jobs_cli
from facilities.jobs.scheduler import Context, by_id, run_scheduler
from facilities.ops import cli as ops_cli
from facilities.ops.cli import workbook_commands
from facilities.ops.migrate import heads
from facilities.ops.seeding import prepare
from facilities.sites.cli import EXPORTS as SITE_EXPORTS
from facilities.sites.cli import IMPORTS as SITE_IMPORTS
from leases.cli import REPORTS as LEASE_REPORTS
from leases.services import make_default_rule

FIRST_ADMIN_HINT = """
No one can log in yet: every page and API call needs a login (except /health).
  the first admin, for the browser ({address}/login):
      .venv/bin/facilities users create NAME --role admin
  an API token (printed once, on the last line):
      .venv/bin/facilities tokens create NAME --role admin
      curl -H "Authorization: Bearer <token>" {address}/api/v1/ownership/summary"""
EMPTY_HINT = """
An empty register: name the agency, then load its register from one workbook.
      .venv/bin/facilities agency set --name-zh 勞動部 --name "Ministry of Labor" \\
          --short-name-zh 勞動部 --short-name MOL
      .venv/bin/facilities template workbook register.xlsx    (fill it in)
      .venv/bin/facilities import workbook register.xlsx"""
WILDCARDS = {"0.0.0.0": "127.0.0.1", "::": "::1"}
"""A server listening on every address is reached from this machine on loopback."""

host_option = click.option("--host", default="127.0.0.1", show_default=True)
port_option = click.option("--port", default=8000, show_default=True, type=int)


def address(host: str, port: int) -> str:
    """The address a browser on this machine opens for a server listening on host:port."""
    shown = WILDCARDS.get(host, host)
    return f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"


@click.group()
def main() -> None:
    """Capital-facilities tracker: sites, leases, rent reduction, construction."""


@main.command()
@host_option
@port_option
@click.option(
    "--empty", is_flag=True,
    help="Leave the NIA seed out for good (Taiwan's counties are still loaded): an install for "
    "another agency, whose register comes from its own workbook.",
)  # fmt: skip
def init(host: str, port: int, empty: bool) -> None:
    """Run the migrations and load the seed into an empty database (a no-op on a loaded one).
    --host and --port: where `facilities serve` will listen, for the addresses printed."""
    settings = load_settings()
    loaders = seed_loaders()
    leave_empty = [d for d in loaders if d not in REFERENCE_DATA] if empty else []
    with database(settings) as db:
        lines = prepare(db, migration_locations(), loaders, settings.seed_dir, leave_empty)
        with db.session(write=False) as session:
            has_logins = anyone_can_log_in(session)
        url = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"database ready: {url}")
    for line in lines:
        click.echo(f"  seed {line}")
    if empty:
        click.echo(EMPTY_HINT)
    if not has_logins:
        click.echo(FIRST_ADMIN_HINT.format(address=address(host, port)))


@main.command()
@host_option
@port_option
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes serving requests (each its own app; they share the database).",
)
@click.option(
    "--access-log/--no-access-log",
    default=False,
    show_default=True,
    help="A line per request at INFO (off: it costs every hot read a log write).",
)
def serve(host: str, port: int, workers: int, access_log: bool) -> None:
    """Serve the API and pages (uvicorn with httptools and uvloop); run the scheduler too,
    once, in this process, unless FACILITIES_SCHEDULER=off."""
    settings = load_settings()
    click.echo(f"log in at {address(host, port)}/login")
    stop = threading.Event()
    with database(settings) as db:
        if settings.scheduler:
            context = Context(db, settings, by_id(job_specs()))
            threading.Thread(target=run_scheduler, args=(context, stop), name="scheduler",
                             daemon=True).start()  # fmt: skip
        try:
            # The app decides whose X-Forwarded-For to believe (FACILITIES_TRUSTED_PROXIES):
            # uvicorn's own proxy headers would let any local client choose its address.
            # Each worker builds its app from the same environment (the factory's settings).
            uvicorn.run(
                "facilities.app:create_app", factory=True, host=host, port=port,
                workers=workers, log_level="info", access_log=access_log, proxy_headers=False,
                http="auto", loop="auto",  # httptools and uvloop, installed with the product
            )  # fmt: skip
        finally:
            stop.set()


@main.group(name="import")
def import_() -> None:
    """Import a register from a file."""


@main.group()
def export() -> None:
    """Export a register to a file."""


@main.group()
def report() -> None:
    """Reports, written to a file."""


@main.group()
def template() -> None:
    """A file to fill in and import."""


WORKBOOK = workbook_commands(register_sheets)

for group, commands in (
    (
        main,
        [
            users,
            tokens,
            *ops_cli.commands(lambda: heads(migration_locations())),
            *jobs_cli.commands(job_specs),
            ops_cli.agency_group(make_default_rule),
        ],
    ),
    (import_, [*SITE_IMPORTS, WORKBOOK["import"]]),
    (export, [*SITE_EXPORTS, *PROJECT_EXPORTS, WORKBOOK["export"]]),
    (report, [*LEASE_REPORTS, *PROJECT_REPORTS]),
    (template, [WORKBOOK["template"]]),
):
    for command in commands:
        group.add_command(command)

if __name__ == "__main__":
    main()
