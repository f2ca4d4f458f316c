"""`facilities report rent-reduction`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click
import msgspec

from facilities.core.cli import load_settings, unit_of_work
from facilities.core.clock import today
from facilities.core.roc import roc_year
from leases.files import report_csv, report_xlsx
from leases.rules import Mode, PartYear
from leases.schemas import report_out
from leases.services import rent_reduction_report, rule_for

WRITERS = {"xlsx": report_xlsx, "csv": report_csv,
           "json": lambda report: msgspec.json.encode(report_out(report))}  # fmt: skip


@click.command(name="rent-reduction")
@click.option("--fiscal-year", type=click.IntRange(1990, 2100), default=None,
              help="Default: the latest fiscal year with rent recorded.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(list(WRITERS)), default="xlsx",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--mode", type=click.Choice([m.value for m in Mode]), default=None,
              help="Default: the mandate's rule in the database (one_off).")  # fmt: skip
@click.option("--rate", type=click.FloatRange(0, 100), default=None, help="Percent, e.g. 10")
@click.option("--baseline-fiscal-year", type=click.IntRange(1990, 2100), default=None)
@click.option("--part-year", type=click.Choice([p.value for p in PartYear]), default=None,
              help="How a reference year spent only in part in rented space counts. "
              "Default: the mandate's rule in the database (annualise).")  # fmt: skip
def rent_reduction(
    fiscal_year: int | None, fmt: str, out: Path, mode: str | None, rate: float | None,
    baseline_fiscal_year: int | None, part_year: str | None,
) -> None:  # fmt: skip
    """The rent-reduction report for a fiscal year, as the legislature receives it."""
    settings = load_settings()
    with unit_of_work(write=False, settings=settings) as session:
        rule = rule_for(
            session,
            Mode(mode) if mode else None,
            Decimal(str(rate)) if rate is not None else None,
            baseline_fiscal_year,
            PartYear(part_year) if part_year else None,
        )
        report = rent_reduction_report(session, fiscal_year, rule, today(settings))
    out.write_bytes(WRITERS[fmt](report))
    t, year = report.totals, report.fiscal_year
    if report.year_note:
        click.echo(report.year_note)
    click.echo(
        f"FY{year} ({roc_year(year)}年度), {rule.mode.value}: {t.offices} offices, "
        f"{t.met_or_ended} of {t.assessed} met the target, savings NT${t.savings_ntd:,}; "
        f"written to {out}"
    )


REPORTS = [rent_reduction]
