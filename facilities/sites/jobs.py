"""The site register's part of the scheduled work: its headline figures in the daily snapshot."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from facilities.sites.services import ownership_summary


def ownership_snapshot(session: Session, as_of: date) -> dict[str, Any]:
    summary = ownership_summary(session, as_of)
    national = {s.ownership: s.count for s in summary.national.shares}
    counties = {
        c.county: {s.ownership: s.count for s in c.breakdown.shares} for c in summary.counties
    }
    return {"total": summary.national.total, "national": national, "counties": counties}
