"""The lease register's scheduled work: alerts for leases ending or reaching their notice date,
and the monthly rent-reduction report filed into the archive."""

from __future__ import annotations

import sys
from datetime import date

from apscheduler.triggers.cron import CronTrigger
from sqlalchemy.orm import Session

from facilities.core.errors import DomainError
from facilities.core.settings import Settings
from facilities.jobs.alerts import AlertCandidate
from facilities.jobs.archive import store
from facilities.jobs.scheduler import TIMEZONE, JobSkipped, JobSpec
from leases.files import report_xlsx
from leases.services import default_rule, list_leases, offices, rent_reduction_report


def lease_alerts(session: Session, as_of: date, settings: Settings) -> list[AlertCandidate]:
    leases = list_leases(
        session, today=as_of, expiring_within_days=settings.lease_alert_days, limit=sys.maxsize
    )
    alerts = []
    for lease in leases.items:
        site = lease.site
        for kind, day, what, what_zh in (
            ("lease_notice", lease.notice_date, "notice date", "通知期限"),
            ("lease_end", lease.end_date, "end", "租約到期"),
        ):
            days = (day - as_of).days
            if 0 <= days <= settings.lease_alert_days:
                alerts.append(AlertCandidate(
                    kind=kind, key=f"{kind}:{lease.id}:{day.isoformat()}", entity="lease",
                    entity_id=str(lease.id),
                    message=f"{site.name_zh} {what_zh} {day.isoformat()}（{days}天後）· "
                            f"{site.name}: lease {what} on {day.isoformat()}, in {days} days",
                ))  # fmt: skip
    return alerts


def monthly_rent_report(session: Session, as_of: date, settings: Settings) -> str:
    """The rent-reduction report for the current fiscal year, filed into the archive; a month
    of a year with no rent recorded files nothing and says why."""
    everyone = offices(session)
    if not any(as_of.year in office.rents for office in everyone):
        years = sorted({y for office in everyone for y in office.rents})
        held = f"FY{years[0]} to FY{years[-1]}" if years else "no year yet"
        raise JobSkipped(
            f"no report filed: no rent is recorded for FY{as_of.year} (the register has {held}); "
            "record the year's rents (PUT /api/v1/leases/{id}/rents/{year}) to file it"
        )
    report = rent_reduction_report(session, as_of.year, default_rule(session), as_of, everyone)
    name = f"rent-reduction-FY{as_of.year}-{as_of.isoformat()}.xlsx"
    store(settings, name, report_xlsx(report))
    return f"filed {name}"


JOBS = [
    JobSpec("rent_report", "Monthly rent-reduction report (xlsx) into the reports archive",
            CronTrigger(day=1, hour=7, minute=0, timezone=TIMEZONE), monthly_rent_report),
]  # fmt: skip


def rent_snapshot(session: Session, as_of: date) -> dict:
    """Rent paid by fiscal year and the mandate's standing in the current one."""
    everyone = offices(session)
    paid: dict[int, int] = {}
    for office in everyone:
        for year, rent in office.rents.items():
            paid[year] = paid.get(year, 0) + rent
    part: dict = {"rent_paid_ntd": {str(y): paid[y] for y in sorted(paid)}}
    try:
        report = rent_reduction_report(session, None, default_rule(session), as_of, everyone)
    except DomainError as exc:
        part["mandate"] = {"fiscal_year": as_of.year, "unavailable": exc.detail}
        return part
    totals = report.totals
    part["mandate"] = {
        "fiscal_year": report.fiscal_year, "year_note": report.year_note,
        "baseline_rent_ntd": totals.baseline_rent_ntd,
        "actual_rent_ntd": totals.actual_rent_ntd, "savings_ntd": totals.savings_ntd,
        "met_or_ended": totals.met_or_ended, "assessed": totals.assessed,
        "share_met_pct": totals.share_met_pct,
    }  # fmt: skip
    return part
