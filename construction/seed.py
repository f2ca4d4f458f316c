"""Loading the construction seed (seed/projects.csv and seed/project_*.csv) through the same
services and rules as the API: each progress report is checked as if filed on its data date."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from construction.services import (
    add_budget_line,
    add_milestone,
    add_progress,
    add_project_site,
    add_work_package,
    create_project,
)
from facilities.core.files import read_csv_rows
from facilities.core.settings import SEED_DATA_DATE

ACTOR = "seed"


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load_projects(session: Session, seed_dir: Path) -> str:
    projects = read_csv_rows(seed_dir / "projects.csv")
    for row in projects:
        create_project(session, {
            "code": row["code"], "name": row["name"], "name_zh": row["name_zh"],
            "kind": row["kind"], "county": row["county"], "location": row["location"],
            "budget_total_ntd": int(row["budget_total_ntd"]),
            "planned_start": _date(row["planned_start"]),
            "planned_finish": _date(row["planned_finish"]),
            "contract_start": _date(row["contract_start"]),
            "contract_days": int(row["contract_days"]) if row["contract_days"] else None,
            "contract_basis": row["contract_basis"], "new_sites": int(row["new_sites"]),
            "lease_center_key": row["lease_center_key"] or None, "provenance": row["provenance"],
        }, actor=ACTOR)  # fmt: skip
    for row in read_csv_rows(seed_dir / "project_sites.csv"):
        add_project_site(session, row["project_code"], row["site_code"], actor=ACTOR)
    for row in read_csv_rows(seed_dir / "project_budget_lines.csv"):
        add_budget_line(session, row["project_code"], {
            "first_year": int(row["first_year"]), "last_year": int(row["last_year"]),
            "appropriated_ntd": int(row["appropriated_ntd"]),
            "committed_ntd": int(row["committed_ntd"]), "spent_ntd": int(row["spent_ntd"]),
            "note": row["note"], "provenance": row["provenance"],
        }, actor=ACTOR)  # fmt: skip
    packages = read_csv_rows(seed_dir / "project_work_packages.csv")
    for row in packages:
        add_work_package(session, row["project_code"], {
            "code": row["code"], "name": row["name"], "name_zh": row["name_zh"],
            "weight_pct": int(row["weight_pct"]), "provenance": row["provenance"],
        }, actor=ACTOR)  # fmt: skip
    milestones = read_csv_rows(seed_dir / "project_milestones.csv")
    for row in milestones:
        add_milestone(session, row["project_code"], row["package_code"], {
            "name": row["name"], "name_zh": row["name_zh"],
            "planned_date": _date(row["planned_date"]),
            "forecast_date": _date(row["forecast_date"]),
            "actual_date": _date(row["actual_date"]),
            "percent_complete": float(row["percent_complete"]), "note": row["note"],
            "provenance": row["provenance"],
        }, actor=ACTOR, today=SEED_DATA_DATE)  # fmt: skip
    reports = read_csv_rows(seed_dir / "project_progress.csv")
    for row in reports:
        add_progress(session, row["project_code"], {
            "data_date": _date(row["data_date"]),
            "percent_complete": float(row["percent_complete"]),
            "spent_to_date_ntd": int(row["spent_to_date_ntd"]), "reason": row["reason"],
            "provenance": row["provenance"],
        }, actor=ACTOR, today=SEED_DATA_DATE)  # fmt: skip
    return (f"{len(projects)} projects, {len(packages)} work packages, {len(milestones)} "
            f"milestones, {len(reports)} progress reports")  # fmt: skip
