"""The site register's rules, pure: its controlled words, the checks every site must pass
whether it arrives through the API or in a file, ownership shares on a date, and how ownership
moves as projects complete. Plain data in, plain data out: no database, no web."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any


class Ownership(StrEnum):
    owned = "owned"
    borrowed = "borrowed"
    leased = "leased"

    @property
    def zh(self) -> str:
        return {"owned": "自有", "borrowed": "無償借用", "leased": "有償租用"}[self.value]


class SiteType(StrEnum):
    headquarters = "headquarters"
    service_station = "service_station"
    specialized_operation_team = "specialized_operation_team"
    airport_border_post = "airport_border_post"
    port_border_post = "port_border_post"
    detention_centre = "detention_centre"
    service_center = "service_center"

    @property
    def zh(self) -> str:
        return {
            "headquarters": "署本部",
            "service_station": "服務站",
            "specialized_operation_team": "專勤隊",
            "airport_border_post": "機場國境事務隊",
            "port_border_post": "港口國境事務隊",
            "detention_centre": "收容所",
            "service_center": "移民服務中心",
        }[self.value]


class Provenance(StrEnum):
    budget_fy2014 = "budget_fy2014"
    illustrative = "illustrative"


def one_of(enum: type[StrEnum]) -> str:
    return ", ".join(member.value for member in enum)


SITE_COLUMNS = (
    "code", "name", "name_zh", "county", "site_type", "ownership", "ownership_since",
    "address_zh", "lat", "lon", "floor_area_m2", "lending_agency", "loan_end_date",
    "state_land_obtained", "closed_on", "provenance",
)  # fmt: skip
"""The register's fields, in the order files are exported and imported."""
REQUIRED_COLUMNS = (
    "code", "name", "name_zh", "county", "site_type", "ownership", "ownership_since",
    "lat", "lon", "floor_area_m2",
)  # fmt: skip
CREATE_DEFAULTS: dict[str, Any] = {
    "address_zh": "", "lending_agency": None, "loan_end_date": None,
    "state_land_obtained": False, "closed_on": None, "provenance": "illustrative",
}  # fmt: skip
LAT_RANGE = (21.0, 27.0)
LON_RANGE = (118.0, 123.0)
"""Taiwan, Penghu, Kinmen and Matsu lie inside these bounds."""
SITE_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,31}$"
MAX_FLOOR_AREA_M2 = 1_000_000
MAX_TEXT = 200
MAX_TEXT_ZH = 100
"""A Chinese name: as long as its column holds."""


def county_problem(name: str, known: Iterable[str]) -> str | None:
    known = list(known)
    if name in known:
        return None
    guess = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean '{guess[0]}'?" if guess else " (see seed/counties.csv)"
    return f"county '{name}' is not a county or city of Taiwan{hint}"


def site_problems(site: Mapping[str, Any], today: date) -> list[str]:
    """Cross-field rules over a whole site's fields (after types are checked)."""
    problems = []
    borrowed = site["ownership"] == Ownership.borrowed
    for field in ("lending_agency", "loan_end_date"):
        if borrowed and not site.get(field):
            problems.append(f"{field} is required for a borrowed site")
        if not borrowed and site.get(field):
            problems.append(f"{field} is only kept for borrowed sites, not {site['ownership']}")
    since = site.get("ownership_since")
    if since and since > today:
        problems.append(
            f"ownership_since {since} is after the product's date {today}: "
            "the register records what has happened"
        )
    closed = site.get("closed_on")
    if closed and since and closed < since:
        problems.append(f"closed_on {closed} is before ownership_since {since}")
    return problems


def create_problems(
    fields: Mapping[str, Any], county_names: Iterable[str], existing: bool, today: date
) -> list[str]:
    problems = []
    if existing:
        problems.append(f"site code '{fields['code']}' already exists")
    if problem := county_problem(fields["county"], county_names):
        problems.append(problem)
    return problems + site_problems(fields, today)


def update_problems(
    current: Mapping[str, Any], changes: dict[str, Any], county_names: Iterable[str], today: date
) -> list[str]:
    """What is wrong with applying `changes` to a site's `current` fields (`changes` is
    normalized in place: a change of ownership carries its effective date as
    `ownership_since`, and leaving a loan clears its lender)."""
    problems = []
    effective = changes.pop("ownership_effective_date", None)
    new_ownership = changes.get("ownership", current["ownership"])
    if new_ownership != current["ownership"]:
        effective = effective or changes.get("ownership_since") or today
        changes["ownership_since"] = effective
        if effective <= current["ownership_since"]:
            problems.append(
                f"the ownership change must take effect after the current ownership began "
                f"({current['ownership_since']}), not on {effective}"
            )
        if current["ownership"] == "borrowed":
            changes.setdefault("lending_agency", None)
            changes.setdefault("loan_end_date", None)
    elif effective is not None:
        problems.append("ownership_effective_date is given but ownership does not change")
    elif changes.get("ownership_since", current["ownership_since"]) != current["ownership_since"]:
        problems.append(
            "ownership_since changes only with a change of ownership "
            f"(it is {current['ownership_since']})"
        )
    if "county" in changes and (problem := county_problem(changes["county"], county_names)):
        problems.append(problem)
    return problems + site_problems({**current, **changes}, today)


@dataclass(frozen=True)
class Holding:
    """One site held under one ownership on the summary's date."""

    county: str
    county_zh: str
    ownership: str


@dataclass(frozen=True)
class Share:
    ownership: str
    label_zh: str
    count: int
    share_pct: float
    """Rounded half up to one decimal: 14 of 65 is 21.5."""
    share_pct_printed: int
    """Truncated to a whole percent, as the FY2014 budget document prints it: 14 of 65 is 21."""


@dataclass(frozen=True)
class Breakdown:
    total: int
    shares: tuple[Share, ...]


@dataclass(frozen=True)
class CountyBreakdown:
    county: str
    county_zh: str
    breakdown: Breakdown


@dataclass(frozen=True)
class Summary:
    as_of: date
    national: Breakdown
    counties: tuple[CountyBreakdown, ...]


def pct_tenths(count: int, total: int) -> int:
    """count/total in tenths of a percent, rounded half up, in integers (no float drift)."""
    if total == 0:
        return 0
    return (count * 2000 + total) // (2 * total)


def breakdown(ownerships: Sequence[str]) -> Breakdown:
    total = len(ownerships)
    shares = []
    for kind in Ownership:
        count = sum(1 for o in ownerships if o == kind.value)
        shares.append(
            Share(
                ownership=kind.value,
                label_zh=kind.zh,
                count=count,
                share_pct=pct_tenths(count, total) / 10,
                share_pct_printed=count * 100 // total if total else 0,
            )
        )
    return Breakdown(total=total, shares=tuple(shares))


def summarize(holdings: Iterable[Holding], as_of: date, county_order: Sequence[str]) -> Summary:
    """National and per-county shares; counties in `county_order`, those with no site left out."""
    rows = list(holdings)
    by_county: dict[str, list[Holding]] = {}
    for row in rows:
        by_county.setdefault(row.county, []).append(row)
    counties = tuple(
        CountyBreakdown(
            county=name,
            county_zh=by_county[name][0].county_zh,
            breakdown=breakdown([h.ownership for h in by_county[name]]),
        )
        for name in county_order
        if name in by_county
    )
    return Summary(as_of=as_of, national=breakdown([h.ownership for h in rows]), counties=counties)


@dataclass(frozen=True)
class Completion:
    """A project finishing: the sites it makes owned, and the new owned sites it opens (in the
    project's county)."""

    project: str
    on: date
    becomes_owned: tuple[str, ...] = ()
    new_sites: int = 0
    county: str = ""
    county_zh: str = ""


@dataclass(frozen=True)
class Holdings:
    """Every site (by code) and how it is held on a date: recorded from the ownership history
    up to the product's date, projected after it from the projects' forecast completions."""

    as_of: date
    projected: bool
    sites: dict[str, Holding]
    completed: tuple[str, ...] = ()
    """Projects taken as complete by the date (projected holdings only)."""

    def counts(self) -> dict[str, int]:
        return {k.value: sum(1 for h in self.sites.values() if h.ownership == k) for k in Ownership}


def project_holdings(now: Holdings, completions: Iterable[Completion], on: date) -> Holdings:
    """The holdings on `on`, from those recorded on `now.as_of`: each project forecast to finish
    by then makes its sites owned and adds its new ones. The one projection of future ownership
    that the summary, the maps, the dashboard and the snapshots all use."""
    if on <= now.as_of:
        return now
    sites = dict(now.sites)
    done = sorted((c for c in completions if c.on <= on), key=lambda c: (c.on, c.project))
    for c in done:
        for code in c.becomes_owned:
            if code in sites:
                sites[code] = replace(sites[code], ownership=Ownership.owned.value)
        for n in range(c.new_sites):
            sites[f"{c.project}#{n}"] = Holding(c.county, c.county_zh, Ownership.owned.value)
    return Holdings(on, True, sites, tuple(c.project for c in done))


@dataclass(frozen=True)
class YearShares:
    year: int
    owned: int
    borrowed: int
    leased: int
    completed: tuple[str, ...]
    """Projects that complete in this year."""
    projected: bool = True

    @property
    def total(self) -> int:
        return self.owned + self.borrowed + self.leased

    @property
    def owned_pct(self) -> float:
        return pct_tenths(self.owned, self.total) / 10

    @property
    def to_full_ownership(self) -> int:
        return self.total - self.owned


def project_ownership(
    now: Holdings, completions: Iterable[Completion], years: range
) -> list[YearShares]:
    """Ownership at the end of each year, projected from the holdings recorded `now`."""
    completions = list(completions)
    result, before = [], set()
    for year in years:
        held = project_holdings(now, completions, date(year, 12, 31))
        counts = held.counts()
        result.append(YearShares(year, counts["owned"], counts["borrowed"], counts["leased"],
                                 tuple(p for p in held.completed if p not in before),
                                 held.projected))  # fmt: skip
        before |= set(held.completed)
    return result


def summarize_holdings(holdings: Holdings, county_order: Sequence[str]) -> Summary:
    return summarize(holdings.sites.values(), holdings.as_of, county_order)
