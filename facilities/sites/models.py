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


class Pipeline(Versioned, AuditColumns, Base):
    """A county's road to owning its sites (完全自有化): its tracks, guarded by one version, so
    a move on any of them needs the county's current ETag."""

    __tablename__ = "ownership_pipelines"

    county_id: Mapped[int] = mapped_column(ForeignKey("counties.id"), unique=True)

    county: Mapped[County] = relationship(lazy="joined", innerjoin=True)
    tracks: Mapped[list[PipelineTrack]] = relationship(
        back_populates="pipeline", order_by="PipelineTrack.id"
    )


class PipelineTrack(AuditColumns, Base):
    """One track of a county's pipeline: the county's own (`site_id` None: its sites with no
    track of their own), or one site's. Its latest stage is kept here, as a site keeps its
    ownership, so that the pipeline reads in one query."""

    __tablename__ = "pipeline_tracks"
    __table_args__ = (UniqueConstraint("pipeline_id", "site_id"),)

    pipeline_id: Mapped[int] = mapped_column(
        ForeignKey("ownership_pipelines.id", ondelete="CASCADE"), index=True
    )
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id"), index=True)
    stage: Mapped[str] = mapped_column(String(30))
    reached_on: Mapped[date] = mapped_column(Date)
    project_code: Mapped[str | None] = mapped_column(String(32), index=True)
    """The construction project that carries the track (by code: the site register imports no
    project); its milestones move the track forward."""

    pipeline: Mapped[Pipeline] = relationship(back_populates="tracks")
    site: Mapped[Site | None] = relationship(lazy="joined")
    changes: Mapped[list[PipelineChange]] = relationship(
        back_populates="track", order_by="[PipelineChange.reached_on, PipelineChange.id]"
    )


class PipelineChange(AuditColumns, Base):
    """From `reached_on` on, the track stands at `stage`: who moved it, why, and the project."""

    __tablename__ = "pipeline_changes"

    track_id: Mapped[int] = mapped_column(
        ForeignKey("pipeline_tracks.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(30))
    reached_on: Mapped[date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(100))
    note: Mapped[str] = mapped_column(String(500), default="")
    reason: Mapped[str] = mapped_column(String(500), default="")
    """Why the track moved back (required for a backward move)."""
    project_code: Mapped[str | None] = mapped_column(String(32))
    provenance: Mapped[str] = mapped_column(String(20))

    track: Mapped[PipelineTrack] = relationship(back_populates="changes")
