"""`facilities export projects` and `facilities report relocation-savings`."""

from __future__ import annotations

from pathlib import Path

import click
import msgspec

from construction.files import projects_table, relocation_csv, relocation_xlsx
from construction.schemas import relocation_out
from construction.services import list_projects, relocation_report
from facilities.core.cli import load_settings, plural, unit_of_work
from facilities.core.clock import today
from facilities.core.files import write_file
from facilities.core.roc import roc_year


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


WRITERS = {"xlsx": relocation_xlsx, "csv": relocation_csv,
           "json": lambda report: msgspec.json.encode(relocation_out(report))}  # fmt: skip


@click.command(name="relocation-savings")
@click.option("--fiscal-year", type=click.IntRange(1990, 2100), default=None,
              help="Default: the latest fiscal year with rent recorded.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), default="xlsx",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
def relocation_savings(fiscal_year: int | None, fmt: str, out: Path) -> None:
    """What each new center saves in rent, its cost and its payback, as liaisons hand it on."""
    settings = load_settings()
    day = today(settings)
    with unit_of_work(write=False, settings=settings) as session:
        report = relocation_report(session, fiscal_year, day)
    year = report.fiscal_year
    if report.year_note:
        click.echo(report.year_note)
    out.write_bytes(WRITERS[fmt](report))
    click.echo(
        f"FY{year} ({roc_year(year)}年度): {len(report.centers)} centers replacing "
        f"{report.offices_replaced} offices save NT${report.rent_avoided_ntd:,} a year for "
        f"NT${report.cost_ntd:,}; written to {out}"
    )


REPORTS = [relocation_savings]
