"""Construction projects: budget lines by fiscal year, work packages and their milestones,
monthly progress reports, and the sites that become owned when a project completes."""

from __future__ import annotations

from datetime import date

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilities.core.orm import AuditColumns, Base, Versioned
from facilities.sites.models import County, Site


class Project(AuditColumns, Base):
    __tablename__ = "projects"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(40))
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    location: Mapped[str] = mapped_column(String(200), default="")
    budget_total_ntd: Mapped[int] = mapped_column(BigInteger)
    planned_start: Mapped[date] = mapped_column(Date)
    planned_finish: Mapped[date] = mapped_column(Date)
    contract_start: Mapped[date | None] = mapped_column(Date)
    contract_days: Mapped[int | None] = mapped_column(Integer)
    contract_basis: Mapped[str] = mapped_column(String(20), default="calendar")
    new_sites: Mapped[int] = mapped_column(Integer, default=0)
    """Sites the project adds to the register (owned) when it completes."""
    lease_center_key: Mapped[str | None] = mapped_column(String(40))
    """The same center's key in the lease register's relocation mapping, if it is one."""
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    county: Mapped[County] = relationship(lazy="joined", innerjoin=True)
    sites: Mapped[list[ProjectSite]] = relationship(back_populates="project")
    budget_lines: Mapped[list[BudgetLine]] = relationship(
        back_populates="project", order_by="BudgetLine.first_year"
    )
    packages: Mapped[list[WorkPackage]] = relationship(
        back_populates="project", order_by="WorkPackage.id"
    )
    progress: Mapped[list[ProgressReport]] = relationship(
        back_populates="project", order_by="ProgressReport.data_date"
    )


class ProjectSite(AuditColumns, Base):
    """A site that becomes owned when the project completes."""

    __tablename__ = "project_sites"
    __table_args__ = (UniqueConstraint("project_id", "site_id"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)

    project: Mapped[Project] = relationship(back_populates="sites")
    site: Mapped[Site] = relationship(lazy="joined", innerjoin=True)


class BudgetLine(Versioned, AuditColumns, Base):
    """Appropriated, committed (contracts awarded) and spent, for a fiscal year or a span."""

    __tablename__ = "budget_lines"
    __table_args__ = (UniqueConstraint("project_id", "first_year"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    first_year: Mapped[int] = mapped_column(Integer)
    last_year: Mapped[int] = mapped_column(Integer)
    appropriated_ntd: Mapped[int] = mapped_column(BigInteger)
    committed_ntd: Mapped[int] = mapped_column(BigInteger, default=0)
    spent_ntd: Mapped[int] = mapped_column(BigInteger, default=0)
    note: Mapped[str] = mapped_column(String(500), default="")
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    project: Mapped[Project] = relationship(back_populates="budget_lines")


class WorkPackage(AuditColumns, Base):
    __tablename__ = "work_packages"
    __table_args__ = (UniqueConstraint("project_id", "code"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(100))
    weight_pct: Mapped[int] = mapped_column(Integer)
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    project: Mapped[Project] = relationship(back_populates="packages")
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="package", order_by="Milestone.planned_date"
    )


class Milestone(Versioned, AuditColumns, Base):
    __tablename__ = "milestones"

    package_id: Mapped[int] = mapped_column(ForeignKey("work_packages.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(100))
    planned_date: Mapped[date] = mapped_column(Date)
    forecast_date: Mapped[date | None] = mapped_column(Date)
    actual_date: Mapped[date | None] = mapped_column(Date)
    percent_complete: Mapped[float] = mapped_column(Float, default=0.0)
    note: Mapped[str] = mapped_column(String(1000), default="")
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    package: Mapped[WorkPackage] = relationship(back_populates="milestones", lazy="joined")


class ProgressReport(Versioned, AuditColumns, Base):
    """The monthly report: how much of the work is done and how much is spent, at a date."""

    __tablename__ = "progress_reports"
    __table_args__ = (UniqueConstraint("project_id", "data_date"),)

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    data_date: Mapped[date] = mapped_column(Date)
    percent_complete: Mapped[float] = mapped_column(Float)
    spent_to_date_ntd: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(1000), default="")
    over_appropriation: Mapped[bool] = mapped_column(Boolean, default=False)
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    project: Mapped[Project] = relationship(back_populates="progress")


class AppropriationOverride(AuditColumns, Base):
    """Spending beyond the appropriation, allowed by a person with a reason: a row for each."""

    __tablename__ = "appropriation_overrides"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    record: Mapped[str] = mapped_column(String(64))
    """What was overridden: "progress/2014-07-31" or "budget/2014"."""
    spent_ntd: Mapped[int] = mapped_column(BigInteger)
    appropriated_ntd: Mapped[int] = mapped_column(BigInteger)
    reason: Mapped[str] = mapped_column(String(500))
    actor: Mapped[str] = mapped_column(String(120))
