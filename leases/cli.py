"""`facilities report rent-reduction`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import click

from facilities.clock import today
from facilities.db import Database
from facilities.errors import DomainError
from facilities.settings import Settings, SettingsError
from leases.mandate import Mode


@click.group()
def report() -> None:
    """Reports, written to a file."""


@report.command(name="rent-reduction")
@click.option("--fiscal-year", type=click.IntRange(1990, 2100), required=True)
@click.option("--format", "fmt", type=click.Choice(["xlsx", "csv", "json"]), default="xlsx",
              show_default=True)  # fmt: skip
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True)
@click.option("--mode", type=click.Choice([m.value for m in Mode]), default=None,
              help="Default: the mandate's rule in the database (one_off).")  # fmt: skip
@click.option("--rate", type=click.FloatRange(0, 100), default=None, help="Percent, e.g. 10")
@click.option("--baseline-fiscal-year", type=click.IntRange(1990, 2100), default=None)
def rent_reduction(
    fiscal_year: int, fmt: str, out: Path, mode: str | None, rate: float | None,
    baseline_fiscal_year: int | None,
) -> None:  # fmt: skip
    """The rent-reduction report for a fiscal year, as the legislature receives it."""
    import msgspec

    from leases.reports import report_csv, report_json, report_xlsx
    from leases.services import rent_reduction_report, rule_for

    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        raise click.UsageError(str(exc)) from None
    db = Database(settings)
    try:
        with db.session() as session:
            rule = rule_for(
                session,
                Mode(mode) if mode else None,
                Decimal(str(rate)) if rate is not None else None,
                baseline_fiscal_year,
            )
            report = rent_reduction_report(session, fiscal_year, rule, today(settings))
    except DomainError as exc:
        raise click.ClickException(exc.detail) from None
    finally:
        db.dispose()
    writers = {"xlsx": report_xlsx, "csv": report_csv,
               "json": lambda r: msgspec.json.encode(report_json(r))}  # fmt: skip
    out.write_bytes(writers[fmt](report))
    t = report.totals
    click.echo(
        f"FY{fiscal_year} ({fiscal_year - 1911}年度), {rule.mode.value}: {t.offices} offices, "
        f"{t.met_or_ended} of {t.assessed} met the target, savings NT${t.savings_ntd:,}; "
        f"written to {out}"
    )
