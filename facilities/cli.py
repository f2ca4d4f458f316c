"""The `facilities` command: every package's commands under one group, and the two that need
the whole product (`init`, `serve`)."""

from __future__ import annotations

import threading

import click
import uvicorn

from construction.cli import EXPORTS as PROJECT_EXPORTS
from construction.cli import REPORTS as PROJECT_REPORTS
from facilities.app import create_app
from facilities.auth.cli import tokens, users
from facilities.auth.services import anyone_can_log_in
from facilities.core.cli import database, load_settings
from facilities.domains import job_specs, migration_locations, seed_loaders
from facilities.jobs import cli as jobs_cli
from facilities.jobs.scheduler import Context, by_id, run_scheduler
from facilities.ops import cli as ops_cli
from facilities.ops.migrate import heads
from facilities.ops.seeding import prepare
from facilities.sites.cli import EXPORTS as SITE_EXPORTS
from facilities.sites.cli import IMPORTS as SITE_IMPORTS
from leases.cli import REPORTS as LEASE_REPORTS

FIRST_ADMIN_HINT = """
No one can log in yet: every page and API call needs a login (except /health).
  the first admin, for the browser ({address}/login):
      .venv/bin/facilities users create NAME --role admin
  an API token (printed once, on the last line):
      .venv/bin/facilities tokens create NAME --role admin
      curl -H "Authorization: Bearer <token>" {address}/api/v1/ownership/summary"""
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
    """NIA capital-facilities tracker: sites, leases, rent reduction, construction."""


@main.command()
@host_option
@port_option
def init(host: str, port: int) -> None:
    """Run the migrations and load the seed into an empty database (a no-op on a loaded one).
    --host and --port: where `facilities serve` will listen, for the addresses printed."""
    settings = load_settings()
    with database(settings) as db:
        lines = prepare(db, migration_locations(), seed_loaders(), settings.seed_dir)
        with db.session(write=False) as session:
            has_logins = anyone_can_log_in(session)
        url = db.engine.url.render_as_string(hide_password=True)
    click.echo(f"database ready: {url}")
    for line in lines:
        click.echo(f"  seed {line}")
    if not has_logins:
        click.echo(FIRST_ADMIN_HINT.format(address=address(host, port)))


@main.command()
@host_option
@port_option
def serve(host: str, port: int) -> None:
    """Serve the API and pages; run the scheduler too unless FACILITIES_SCHEDULER=off."""
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
            uvicorn.run(
                create_app(settings), host=host, port=port, log_level="info", proxy_headers=False
            )
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


for group, commands in (
    (
        main,
        [
            users,
            tokens,
            *ops_cli.commands(lambda: heads(migration_locations())),
            *jobs_cli.commands(job_specs),
        ],
    ),
    (import_, SITE_IMPORTS),
    (export, [*SITE_EXPORTS, *PROJECT_EXPORTS]),
    (report, [*LEASE_REPORTS, *PROJECT_REPORTS]),
):
    for command in commands:
        group.add_command(command)

if __name__ == "__main__":
    main()
