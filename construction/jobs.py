"""Construction's part of the scheduled work: alerts for overdue milestones and red projects,
and each project's burn in the daily snapshot."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from construction.services import list_projects, overdue_milestones
from facilities.core.settings import Settings
from facilities.jobs.alerts import AlertCandidate


def construction_alerts(session: Session, as_of: date, settings: Settings) -> list[AlertCandidate]:
    alerts = []
    for m in overdue_milestones(session, as_of):
        due = m.forecast_date or m.planned_date
        project = m.package.project
        forecast = (f"（預估 {m.forecast_date}）" if m.forecast_date else "",
                    f" (forecast {m.forecast_date})" if m.forecast_date else "")  # fmt: skip
        alerts.append(AlertCandidate(
            kind="milestone_overdue", key=f"milestone_overdue:{m.id}:{due.isoformat()}",
            entity="milestone", entity_id=str(m.id),
            message=f"{project.name_zh}「{m.name_zh}」逾期：預定 {m.planned_date}{forecast[0]} · "
                    f"{project.code}: milestone '{m.name}' was due {m.planned_date}"
                    f"{forecast[1]} and is {m.percent_complete:g}% done",
        ))  # fmt: skip
    for head in list_projects(session, as_of):
        if head.burn.status == "red":
            p = head.project
            alerts.append(AlertCandidate(
                kind="project_red", key=f"project_red:{p.code}:{p.planned_finish.isoformat()}",
                entity="project", entity_id=p.code,
                message=f"{p.name_zh} 狀態紅燈 · {p.code} is red: {'; '.join(head.burn.reasons)}",
            ))  # fmt: skip
    return alerts


def burn_snapshot(session: Session, as_of: date) -> dict:
    return {
        h.project.code: {
            "status": h.burn.status,
            "schedule_used_pct": h.burn.schedule_used_pct,
            "work_done_pct": h.burn.work_done_pct,
            "budget_burn_pct": h.burn.budget_burn_pct,
            "spi_t": h.burn.spi_t,
            "cpi": h.burn.earned_value.cpi,
            "forecast_finish": h.burn.forecast_finish.isoformat(),
        }  # fmt: skip
        for h in list_projects(session, as_of)
    }
