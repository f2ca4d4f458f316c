"""The site register: counties, sites and each site's ownership history."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from facilities.core.orm import AuditColumns, Base, Versioned


class County(AuditColumns, Base):
    __tablename__ = "counties"

    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(20), unique=True)
    region: Mapped[str] = mapped_column(String(20))


class Site(Versioned, AuditColumns, Base):
    __tablename__ = "sites"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_zh: Mapped[str] = mapped_column(String(100))
    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), index=True)
    site_type: Mapped[str] = mapped_column(String(40), index=True)
    ownership: Mapped[str] = mapped_column(String(20), index=True)
    """The latest ownership in `history`, kept here so the register reads in one query."""
    ownership_since: Mapped[date] = mapped_column(Date)
    address_zh: Mapped[str] = mapped_column(String(200), default="")
    lat: Mapped[float]
    lon: Mapped[float]
    floor_area_m2: Mapped[int] = mapped_column(Integer)
    lending_agency: Mapped[str | None] = mapped_column(String(200))
    loan_end_date: Mapped[date | None] = mapped_column(Date)
    state_land_obtained: Mapped[bool] = mapped_column(Boolean, default=False)
    closed_on: Mapped[date | None] = mapped_column(Date)
    provenance: Mapped[str] = mapped_column(String(20))

    county: Mapped[County] = relationship(lazy="joined", innerjoin=True)
    history: Mapped[list[OwnershipChange]] = relationship(
        back_populates="site", order_by="OwnershipChange.effective_date"
    )


class OwnershipChange(AuditColumns, Base):
    """From `effective_date` on, the site is held as `ownership`."""

    __tablename__ = "ownership_changes"
    __table_args__ = (UniqueConstraint("site_id", "effective_date"),)

    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    ownership: Mapped[str] = mapped_column(String(20))
    effective_date: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(String(500), default="")

    site: Mapped[Site] = relationship(back_populates="history")
