"""`facilities export projects`."""

from __future__ import annotations

from pathlib import Path

import click

from construction.files import projects_table
from construction.services import list_projects
from facilities.core.cli import load_settings, plural, unit_of_work
from facilities.core.clock import today
from facilities.core.files import write_file


@click.command(name="projects")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=False))
def export_projects(file: Path) -> None:
    """Every project's burn on the product's date, worst first, to CSV or XLSX."""
    settings = load_settings()
    day = today(settings)
    with unit_of_work(write=False, settings=settings) as session:
        heads = list_projects(session, day)
        write_file(projects_table(heads, day), file)
    click.echo(f"{plural(len(heads), 'project')} written to {file}")


EXPORTS = [export_projects]
