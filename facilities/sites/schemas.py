"""What the site register's API reads and answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Annotated

import msgspec
from msgspec import UNSET, Meta, UnsetType

from facilities.sites.rules import (
    LAT_RANGE,
    LON_RANGE,
    MAX_FLOOR_AREA_M2,
    MAX_TEXT,
    MAX_TEXT_ZH,
    SITE_CODE_PATTERN,
    STAGE_ORDER,
    Breakdown,
    CountyRoad,
    Holdings,
    OwnedBy,
    Ownership,
    Provenance,
    Rollup,
    SiteType,
    Stage,
    StageChange,
    Summary,
    TrackRoad,
)

SiteCode = Annotated[
    str, Meta(pattern=SITE_CODE_PATTERN, description="Upper-case letters, digits and '-'")
]
Text = Annotated[str, Meta(min_length=1, max_length=MAX_TEXT)]
TextZh = Annotated[str, Meta(min_length=1, max_length=MAX_TEXT_ZH)]
Lat = Annotated[float, Meta(ge=LAT_RANGE[0], le=LAT_RANGE[1])]
Lon = Annotated[float, Meta(ge=LON_RANGE[0], le=LON_RANGE[1])]
FloorArea = Annotated[int, Meta(gt=0, le=MAX_FLOOR_AREA_M2)]


class SiteOut(msgspec.Struct):
    code: str
    name: str
    name_zh: str
    county: str
    county_zh: str
    site_type: str
    site_type_zh: str
    ownership: str
    ownership_zh: str
    ownership_since: date
    address_zh: str
    lat: float
    lon: float
    floor_area_m2: int
    lending_agency: str | None
    loan_end_date: date | None
    state_land_obtained: bool
    closed_on: date | None
    provenance: str
    updated_at: datetime
    etag: str
    """What If-Match must carry to change the site (PATCH)."""


class OwnershipChangeOut(msgspec.Struct):
    ownership: str
    ownership_zh: str
    effective_date: date
    note: str


class SiteDetail(SiteOut):
    history: list[OwnershipChangeOut] = []


class SiteCreate(msgspec.Struct, forbid_unknown_fields=True):
    code: SiteCode
    name: Text
    name_zh: TextZh
    county: Text
    site_type: SiteType
    ownership: Ownership
    lat: Lat
    lon: Lon
    floor_area_m2: FloorArea
    ownership_since: date | None = None
    """Defaults to the product's date."""
    address_zh: Annotated[str, Meta(max_length=200)] = ""
    lending_agency: Text | None = None
    loan_end_date: date | None = None
    state_land_obtained: bool = False
    closed_on: date | None = None
    provenance: Provenance = Provenance.illustrative


class SitePatch(msgspec.Struct, forbid_unknown_fields=True):
    """Only the fields sent change. A new `ownership` is recorded in the site's history from
    `ownership_effective_date` (default: the product's date)."""

    name: Text | UnsetType = UNSET
    name_zh: TextZh | UnsetType = UNSET
    county: Text | UnsetType = UNSET
    site_type: SiteType | UnsetType = UNSET
    ownership: Ownership | UnsetType = UNSET
    ownership_effective_date: date | UnsetType = UNSET
    ownership_note: Annotated[str, Meta(max_length=500)] | UnsetType = UNSET
    address_zh: Annotated[str, Meta(max_length=200)] | UnsetType = UNSET
    lat: Lat | UnsetType = UNSET
    lon: Lon | UnsetType = UNSET
    floor_area_m2: FloorArea | UnsetType = UNSET
    lending_agency: Text | None | UnsetType = UNSET
    loan_end_date: date | None | UnsetType = UNSET
    state_land_obtained: bool | UnsetType = UNSET
    closed_on: date | None | UnsetType = UNSET
    provenance: Provenance | UnsetType = UNSET


class ShareOut(msgspec.Struct):
    count: int
    share_pct: float
    share_pct_printed: int
    label_zh: str


class BreakdownOut(msgspec.Struct):
    total: int
    ownership: dict[str, ShareOut]


class CountyBreakdownOut(BreakdownOut):
    county: str = ""
    county_zh: str = ""


class OwnershipSummaryOut(msgspec.Struct):
    as_of: date
    basis: str
    """"recorded" (from the ownership history, up to the product's date) or "projected" (as
    the projects are forecast to complete)."""
    total: int
    ownership: dict[str, ShareOut]
    counties: list[CountyBreakdownOut]
    note: str
    projects_completed: list[str] = []


PROJECTED_NOTE = (
    "Projected: the sites as recorded on the product's date, and each project forecast (by "
    "earned schedule) to finish by {day} taken as done. "
)
PRINTED_NOTE = (
    "share_pct is rounded to one decimal; share_pct_printed is truncated to a whole percent, "
    "as the FY2014 budget document prints it (21/26/52%)."
)


def breakdown_out(breakdown: Breakdown) -> dict:
    return {
        "total": breakdown.total,
        "ownership": {
            s.ownership: ShareOut(s.count, s.share_pct, s.share_pct_printed, s.label_zh)
            for s in breakdown.shares
        },
    }


def summary_out(summary: Summary, holdings: Holdings) -> OwnershipSummaryOut:
    national = breakdown_out(summary.national)
    basis = "projected" if holdings.projected else "recorded"
    note = (PROJECTED_NOTE.format(day=holdings.as_of) if holdings.projected else "") + PRINTED_NOTE
    return OwnershipSummaryOut(
        as_of=summary.as_of,
        basis=basis,
        projects_completed=list(holdings.completed),
        total=national["total"],
        ownership=national["ownership"],
        counties=[
            CountyBreakdownOut(**breakdown_out(c.breakdown), county=c.county, county_zh=c.county_zh)
            for c in summary.counties
        ],
        note=note,
    )


ProjectCode = Annotated[
    str, Meta(pattern=SITE_CODE_PATTERN, max_length=32, description="A construction project's code")
]
Note = Annotated[str, Meta(max_length=500)]


class PipelineMove(msgspec.Struct, forbid_unknown_fields=True):
    """Move one track of a county's pipeline: the county's own, or `site`'s (a site of the
    county on a road of its own; its track begins with this move)."""

    stage: Stage
    reached_on: date | None = None
    """When the track reached the stage; defaults to the product's date, never after it."""
    site: SiteCode | None = None
    project_code: ProjectCode | None | UnsetType = UNSET
    """The project that carries the track (its milestones move it on); null unlinks it; absent
    keeps the link."""
    note: Note = ""
    reason: Note = ""
    """Required to move back to an earlier stage."""


class StageChangeOut(msgspec.Struct):
    """A move on a track. Who made it is in the audit trail (entity `pipeline`), for the roles
    that read it."""

    stage: str
    stage_zh: str
    reached_on: date
    note: str
    reason: str
    project_code: str | None
    provenance: str


class TrackOut(msgspec.Struct):
    site: str | None
    """null: the county's own track (its sites with no track of their own)."""
    sites: dict[str, str]
    """Each site the track covers, and how it is held on the date."""
    stage: str | None
    stage_zh: str | None
    reached_on: date | None
    project_code: str | None
    history: list[StageChangeOut]


class CountyPipelineOut(msgspec.Struct):
    """A county's pipeline as the site register holds it."""

    county: str
    county_zh: str
    state_land_obtained: bool
    sites: dict[str, int]
    """Sites by tenure on the date: owned, borrowed, leased."""
    stage: str | None
    """The least advanced of its tracks (not_needed only when every track is)."""
    stage_zh: str | None
    reached_on: date | None
    horizon: str | None
    """short, mid, long (the FY2014 plan's horizons), done; null with no site on the date."""
    horizon_zh: str | None
    horizon_reason: str
    tracks: list[TrackOut]
    etag: str
    """What If-Match must carry to move any of its tracks (PUT)."""


class ProjectLinkOut(msgspec.Struct):
    code: str
    found: bool
    name_zh: str
    status: str | None
    forecast_finish: date | None


class OwnedByOut(msgspec.Struct):
    basis: str
    """owned (already), forecast (from the projects' forecast finish), no_date (nothing under
    way for `waiting`), not_needed, no_site."""
    year: int | None
    day: date | None
    projects: list[str]
    waiting: list[str]
    note: str


class TrackRoadOut(TrackOut):
    projected: bool
    """The stage is 'owned' because the projection makes every site owned by the date."""
    project: ProjectLinkOut | None
    owned_by: OwnedByOut
    stuck: str | None


class CountyRoadOut(CountyPipelineOut):
    tracks: list[TrackRoadOut]
    projected_owned_year: int | None
    """The year every site of the county is projected to be owned (null: no date, or owned)."""
    owned_by: OwnedByOut
    rent_avoided_ntd: int
    """The annual rent of its leased sites on the date: what owning them would avoid."""
    stuck: list[str]


class StageCountOut(msgspec.Struct):
    stage: str
    stage_zh: str
    counties: int


class YearOut(msgspec.Struct):
    year: int
    owned: int
    borrowed: int
    leased: int
    total: int
    owned_pct: float
    to_full_ownership: int
    completed: list[str]


class RollupOut(msgspec.Struct):
    counties_by_stage: list[StageCountOut]
    counties_without_stage: int
    total: int
    ownership: dict[str, ShareOut]
    """The shares on the date (recorded, or projected after the product's date)."""
    outlook: list[YearOut]
    """Owned at each year's end from the product's year, as the projects complete."""
    full_ownership_year: int | None
    full_ownership: OwnedByOut
    counties_without_date: list[str]
    rent_avoided_ntd: int
    rent_fiscal_year: int
    counties_stuck: int


class StageOut(msgspec.Struct):
    stage: str
    stage_zh: str
    label: str


class PipelineOut(msgspec.Struct):
    as_of: date
    basis: str
    note: str
    stages: list[StageOut]
    counties: list[CountyRoadOut]
    """The counties where state land has been obtained first, then the rest, each in the
    register's order."""
    national: RollupOut


PIPELINE_NOTE = (
    "Stages as recorded up to {day}; after the product's date a track whose sites the projects "
    "are forecast to make owned by then shows 'owned' (projected). Projected years come from "
    "the projects' forecast finish (earned schedule) on the product's date: the same projection "
    "as /api/v1/ownership/summary. Rent avoided: the annual rent of FY{year} of the sites leased "
    "on the date."
)


def change_out(change: StageChange) -> StageChangeOut:
    return StageChangeOut(change.stage.value, change.stage.zh, change.reached_on,
                          change.note, change.reason, change.project_code,
                          change.provenance)  # fmt: skip


def owned_by_out(by: OwnedBy) -> OwnedByOut:
    return OwnedByOut(by.basis, by.day.year if by.day else None, by.day, list(by.projects),
                      list(by.waiting), by.note)  # fmt: skip


def track_fields(track: TrackRoad) -> dict:
    change = track.change
    return {
        "site": track.site, "sites": dict(track.held),
        "stage": change.stage.value if change else None,
        "stage_zh": change.stage.zh if change else None,
        "reached_on": change.reached_on if change else None,
        "project_code": change.project_code if change else None,
        "history": [change_out(c) for c in track.history],
    }  # fmt: skip


def county_fields(road: CountyRoad, etag: str) -> dict:
    change = road.change
    return {
        "county": road.county, "county_zh": road.county_zh, "state_land_obtained": road.state_land,
        "sites": road.held, "stage": change.stage.value if change else None,
        "stage_zh": change.stage.zh if change else None,
        "reached_on": change.reached_on if change else None,
        "horizon": road.horizon.value if road.horizon else None,
        "horizon_zh": road.horizon.zh if road.horizon else None,
        "horizon_reason": road.horizon_reason, "etag": etag,
    }  # fmt: skip


def pipeline_out(road: CountyRoad, etag: str) -> CountyPipelineOut:
    tracks = [TrackOut(**track_fields(t)) for t in road.tracks]
    return CountyPipelineOut(**county_fields(road, etag), tracks=tracks)


def track_road_out(track: TrackRoad) -> TrackRoadOut:
    link = track.project
    project = link and ProjectLinkOut(link.code, link.status is not None, link.name_zh,
                                      link.status, link.forecast_finish)  # fmt: skip
    return TrackRoadOut(**track_fields(track), projected=track.projected, project=project,
                        owned_by=owned_by_out(track.owned_by), stuck=track.stuck)  # fmt: skip


def road_out(road: CountyRoad, etag: str) -> CountyRoadOut:
    return CountyRoadOut(
        **county_fields(road, etag), tracks=[track_road_out(t) for t in road.tracks],
        projected_owned_year=road.owned_by.day.year if road.owned_by.day else None,
        owned_by=owned_by_out(road.owned_by), rent_avoided_ntd=road.rent_avoided_ntd,
        stuck=road.stuck,
    )  # fmt: skip


def rollup_out(rollup: Rollup, rent_fiscal_year: int) -> RollupOut:
    national = breakdown_out(rollup.national)
    full = rollup.full_ownership
    return RollupOut(
        counties_by_stage=[StageCountOut(s.value, s.zh, rollup.by_stage[s.value])
                           for s in STAGE_ORDER],
        counties_without_stage=rollup.no_stage, total=national["total"],
        ownership=national["ownership"],
        outlook=[YearOut(y.year, y.owned, y.borrowed, y.leased, y.total, y.owned_pct,
                         y.to_full_ownership, list(y.completed)) for y in rollup.outlook],
        full_ownership_year=full.day.year if full.day else None,
        full_ownership=owned_by_out(full), counties_without_date=list(rollup.counties_without_date),
        rent_avoided_ntd=rollup.rent_avoided_ntd, rent_fiscal_year=rent_fiscal_year,
        counties_stuck=rollup.stuck,
    )  # fmt: skip


def stages_out() -> list[StageOut]:
    return [StageOut(s.value, s.zh, s.label) for s in STAGE_ORDER]


def road_answer(
    as_of: date, projected: bool, roads: Sequence[CountyRoad], rollup: Rollup,
    etags: Mapping[str, str], rent_fiscal_year: int,
) -> PipelineOut:  # fmt: skip
    return PipelineOut(
        as_of=as_of, basis="projected" if projected else "recorded",
        note=PIPELINE_NOTE.format(day=as_of, year=rent_fiscal_year), stages=stages_out(),
        counties=[road_out(r, etags[r.county]) for r in roads],
        national=rollup_out(rollup, rent_fiscal_year),
    )  # fmt: skip
