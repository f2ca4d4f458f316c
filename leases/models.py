"""Leases of rented sites, the rent paid on them each fiscal year, and the mandate's rule."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql import ColumnElement

from facilities.core.orm import AuditColumns, Base, Versioned, days_before
from facilities.sites.models import County, Site


class Lease(Versioned, AuditColumns, Base):
    __tablename__ = "leases"

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    landlord: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    notice_days: Mapped[int] = mapped_column(Integer, default=90)
    """Days before the end by which the agency must give notice (to leave or to renew)."""
    renewal_option: Mapped[str] = mapped_column(String(20), default="none")
    leased_floor_area_m2: Mapped[int] = mapped_column(Integer)
    contracted_annual_rent_ntd: Mapped[int] = mapped_column(BigInteger)
    ended_on: Mapped[date | None] = mapped_column(Date)
    """Set when the office left the premises (before or at the end date)."""
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    site: Mapped[Site] = relationship(lazy="joined", innerjoin=True)
    rents: Mapped[list[LeaseRent]] = relationship(
        back_populates="lease", order_by="LeaseRent.fiscal_year", cascade="all, delete-orphan"
    )

    @hybrid_property
    def notice_date(self) -> date:
        """The last day to give notice (to leave or to renew)."""
        return self.end_date - timedelta(days=self.notice_days)

    @notice_date.inplace.expression
    @classmethod
    def _notice_date(cls) -> ColumnElement[date]:
        return days_before(cls.end_date, cls.notice_days)


class LeaseRent(Versioned, AuditColumns, Base):
    """The rent actually paid on a lease in one fiscal year (the calendar year)."""

    __tablename__ = "lease_rents"
    __table_args__ = (UniqueConstraint("lease_id", "fiscal_year"),)

    lease_id: Mapped[int] = mapped_column(ForeignKey("leases.id", ondelete="CASCADE"), index=True)
    fiscal_year: Mapped[int] = mapped_column(Integer)
    rent_ntd: Mapped[int] = mapped_column(BigInteger)
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    lease: Mapped[Lease] = relationship(back_populates="rents")


class RentMandate(AuditColumns, Base):
    """The rule reports apply unless asked for another: data, not code."""

    __tablename__ = "rent_mandates"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    baseline_fiscal_year: Mapped[int] = mapped_column(Integer)
    rate_pct: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    mode: Mapped[str] = mapped_column(String(20))
    part_year: Mapped[str] = mapped_column(String(20), default="annualise")
    """How a reference year spent only in part in rented space counts: `annualise` (by days)
    or `exclude` (no baseline)."""
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    source: Mapped[str] = mapped_column(String(500), default="")


class ServiceCenter(AuditColumns, Base):
    """One of the 9 new migration service centers (FACTS.md), keyed by its own short key and
    its county: the construction projects' codes are not known to this package."""

    __tablename__ = "lease_service_centers"

    key: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(100))
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    note: Mapped[str] = mapped_column(String(500), default="")
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    county: Mapped[County] = relationship(lazy="joined", innerjoin=True)
    replaces: Mapped[list[CenterReplacement]] = relationship(
        back_populates="center", cascade="all, delete-orphan", order_by="CenterReplacement.id"
    )


class CenterReplacement(AuditColumns, Base):
    """A leased office that a new service center will replace (illustrative: the budget
    documents name the centers, not the offices they absorb)."""

    __tablename__ = "lease_center_replacements"
    __table_args__ = (UniqueConstraint("center_id", "site_id"),)

    center_id: Mapped[int] = mapped_column(
        ForeignKey("lease_service_centers.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id"), index=True)
    provenance: Mapped[str] = mapped_column(String(20), default="illustrative")

    center: Mapped[ServiceCenter] = relationship(back_populates="replaces")
    site: Mapped[Site] = relationship(lazy="joined", innerjoin=True)
