"""`facilities import sites` and `facilities export sites`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from facilities.core.cli import actor, load_settings, plural, unit_of_work
from facilities.core.clock import today
from facilities.sites.files import read_sites, write_sites
from facilities.sites.services import import_sites, list_sites, site_fields

FILE = click.Path(path_type=Path, dir_okay=False)


@click.command(name="sites")
@click.argument("file", type=FILE)
def import_sites_command(file: Path) -> None:
    """Upsert sites by code from CSV or XLSX; if any row is bad, import nothing."""
    settings = load_settings()
    with unit_of_work(write=True, settings=settings) as session:
        result = import_sites(session, read_sites(file), actor=actor(), today=today(settings))
    for code in result.created:
        click.echo(f"created {code}")
    for code, fields in result.updated.items():
        click.echo(f"updated {code}: {', '.join(fields)}")
    click.echo(
        f"{plural(len(result.updated), 'site')} updated, {len(result.created)} created, "
        f"{result.unchanged} unchanged."
    )


@click.command(name="sites")
@click.argument("file", type=FILE)
def export_sites_command(file: Path) -> None:
    """Write every site to CSV or XLSX (by extension), in the columns import reads."""
    with unit_of_work(write=False) as session:
        sites = list_sites(session, limit=sys.maxsize)
        write_sites([site_fields(s) for s in sites.items], file)
    click.echo(f"{plural(sites.total, 'site')} written to {file}")


IMPORTS = [import_sites_command]
EXPORTS = [export_sites_command]
