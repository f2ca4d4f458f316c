"""Loading the construction seed: seed/projects.csv and seed/project_*.csv."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
from sqlalchemy import select
from sqlalchemy.orm import Session

from construction.models import (
    BudgetLine,
    Milestone,
    ProgressReport,
    Project,
    ProjectSite,
    WorkPackage,
)  # fmt: skip
from facilities import audit
from facilities.models import Site
from facilities.services import counties_by_name


def _rows(path: Path) -> list[dict]:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8").to_dict("records")


def _date(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


def load_projects(session: Session, seed_dir: Path) -> str:
    counties = counties_by_name(session)
    projects = {}
    for row in _rows(seed_dir / "projects.csv"):
        project = Project(
            code=row["code"], name=row["name"], name_zh=row["name_zh"], kind=row["kind"],
            county=counties[row["county"]], location=row["location"],
            budget_total_ntd=int(row["budget_total_ntd"]),
            planned_start=_date(row["planned_start"]), planned_finish=_date(row["planned_finish"]),
            contract_start=_date(row["contract_start"]),
            contract_days=int(row["contract_days"]) if row["contract_days"] else None,
            contract_basis=row["contract_basis"], new_sites=int(row["new_sites"]),
            lease_center_key=row["lease_center_key"] or None, provenance=row["provenance"],
        )  # fmt: skip
        session.add(project)
        projects[project.code] = project
    sites = {s.code: s for s in session.scalars(select(Site))}
    for row in _rows(seed_dir / "project_sites.csv"):
        session.add(
            ProjectSite(project=projects[row["project_code"]], site=sites[row["site_code"]])
        )
    for row in _rows(seed_dir / "project_budget_lines.csv"):
        session.add(BudgetLine(
            project=projects[row["project_code"]], first_year=int(row["first_year"]),
            last_year=int(row["last_year"]), appropriated_ntd=int(row["appropriated_ntd"]),
            committed_ntd=int(row["committed_ntd"]), spent_ntd=int(row["spent_ntd"]),
            note=row["note"], provenance=row["provenance"],
        ))  # fmt: skip
    packages = {}
    for row in _rows(seed_dir / "project_work_packages.csv"):
        package = WorkPackage(
            project=projects[row["project_code"]], code=row["code"], name=row["name"],
            name_zh=row["name_zh"], weight_pct=int(row["weight_pct"]), provenance=row["provenance"],
        )  # fmt: skip
        session.add(package)
        packages[(row["project_code"], row["code"])] = package
    milestones = _rows(seed_dir / "project_milestones.csv")
    for row in milestones:
        session.add(Milestone(
            package=packages[(row["project_code"], row["package_code"])], name=row["name"],
            name_zh=row["name_zh"], planned_date=_date(row["planned_date"]),
            forecast_date=_date(row["forecast_date"]), actual_date=_date(row["actual_date"]),
            percent_complete=float(row["percent_complete"]), note=row["note"],
            provenance=row["provenance"],
        ))  # fmt: skip
    reports = _rows(seed_dir / "project_progress.csv")
    for row in reports:
        session.add(ProgressReport(
            project=projects[row["project_code"]], data_date=_date(row["data_date"]),
            percent_complete=float(row["percent_complete"]),
            spent_to_date_ntd=int(row["spent_to_date_ntd"]), reason=row["reason"],
            provenance=row["provenance"],
        ))  # fmt: skip
    session.flush()
    for project in projects.values():
        audit.record(session, actor="seed", entity="project", entity_id=project.code,
                     action="create", before=None,
                     after={"budget_total_ntd": project.budget_total_ntd})  # fmt: skip
    return (f"{len(projects)} projects, {len(packages)} work packages, {len(milestones)} "
            f"milestones, {len(reports)} progress reports")  # fmt: skip
