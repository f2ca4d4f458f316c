"""What the site register's API reads and answers."""

from __future__ import annotations

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
    Breakdown,
    Holdings,
    Ownership,
    Provenance,
    SiteType,
    Summary,
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
