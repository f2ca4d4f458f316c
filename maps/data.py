"""What the maps and the dashboard read from the three registers (sites, leases, projects)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from construction.models import Project, ProjectSite
from construction.services import Headline, list_projects
from facilities.sites.models import County, Site
from facilities.sites.rules import (
    Completion,
    CountyRoad,
    Holdings,
    ProjectLink,
    RoadInputs,
    Rollup,
    SiteType,
    YearShares,
    county_roads,
    project_holdings,
    project_ownership,
    rollup,
)
from facilities.sites.services import (
    pipelines,
    plain_tracks,
    recorded_holdings,
    recorded_series,
    state_land_counties,
)
from leases.services import rent_and_end_by_site
from maps.charts import OwnedPoint
from maps.layers import MapProject, MapSite

KAOHSIUNG_YONGAN = (22.82, 120.23)


def completions(heads: list[Headline]) -> list[Completion]:
    """When each project will finish (its forecast by earned schedule, which moves with time)
    and what it makes owned."""
    return [
        Completion(h.project.code, h.burn.forecast_finish,
                   tuple(s.code for s in h.sites), h.project.new_sites,
                   h.project.county.name, h.project.county.name_zh)
        for h in heads
    ]  # fmt: skip


def holdings_on(
    session: Session, as_of: date, today: date, heads: list[Headline] | None = None
) -> Holdings:
    """How every site is held on `as_of`: recorded up to the product's date, projected after
    it as the projects complete (the one projection of future ownership)."""
    now = recorded_holdings(session, min(as_of, today))
    if as_of <= today:
        return now
    heads = list_projects(session, today) if heads is None else heads
    return project_holdings(now, completions(heads), as_of)


OUTLOOK_YEARS = 10
"""The dashboard's outlook runs to the last forecast completion, at most this many years on."""


def ownership_outlook(
    session: Session, today: date, heads: list[Headline], now: Holdings | None = None
) -> list[YearShares]:
    """Ownership at each year's end from this year on, as the projects complete."""
    ends = [c.on.year for c in completions(heads) if c.on > today]
    last = min(max([today.year, *ends]), today.year + OUTLOOK_YEARS)
    now = recorded_holdings(session, today) if now is None else now
    return project_ownership(now, completions(heads), range(today.year, last + 1))


NEAR_DAYS = 45
"""A year's end this close after the product's date is left out: its point would sit on today's."""
RECORDED_YEARS = 5
"""The trajectory's recorded part: the ends of this many years before the product's date."""


def ownership_points(session: Session, today: date, outlook: list[YearShares]) -> list[OwnedPoint]:
    """The share owned at each recorded year's end and on the product's date, then at each
    projected year's end (the outlook): the dashboard's trajectory to full ownership."""
    days = [date(year, 12, 31) for year in range(today.year - RECORDED_YEARS, today.year)]
    recorded = recorded_series(session, [*days, today])
    points = [
        OwnedPoint(held.as_of, held.counts()["owned"], len(held.sites), projected=False)
        for held in recorded if held.sites
    ]  # fmt: skip
    return points + [
        OwnedPoint(date(y.year, 12, 31), y.owned, y.total, projected=True)
        for y in outlook
        if date(y.year, 12, 31) > today
    ]


def map_sites(
    session: Session, as_of: date, today: date, heads: list[Headline] | None = None
) -> tuple[list[MapSite], bool]:
    """The sites on `as_of`: from the history up to today, projected after it."""
    heads = list_projects(session, today) if heads is None else heads
    held = holdings_on(session, as_of, today, heads)
    status = {h.project.code: h.burn.status for h in heads}
    project_of = {
        code: f"{project} ({status[project]})"
        for code, project in session.execute(
            select(Site.code, Project.code).select_from(ProjectSite)
            .join(Site, Site.id == ProjectSite.site_id)
            .join(Project, Project.id == ProjectSite.project_id)
        )
    }  # fmt: skip
    leases = rent_and_end_by_site(session, min(as_of, today).year)
    result = []
    type_zh = {kind.value: kind.zh for kind in SiteType}
    for code, name, name_zh, kind, lat, lon, county, county_zh, state_land in session.execute(
        select(Site.code, Site.name, Site.name_zh, Site.site_type, Site.lat, Site.lon,
               County.name, County.name_zh, Site.state_land_obtained)
        .join(County, County.id == Site.county_id).order_by(Site.code)
    ):  # fmt: skip
        if code not in held.sites:
            continue
        ownership = held.sites[code].ownership
        rent, end = leases.get(code, (None, None)) if ownership == "leased" else (None, None)
        result.append(MapSite(
            code, name, name_zh, kind, type_zh[kind], ownership, lat, lon, county, county_zh,
            state_land, rent, end, project_of.get(code),
        ))  # fmt: skip
    done = set(held.completed)
    new_sites = [new_site(h.project, n) for h in heads if h.project.code in done
                 for n in range(h.project.new_sites)]  # fmt: skip
    return result + new_sites, held.projected


def new_site(project: Project, n: int) -> MapSite:
    lat, lon = KAOHSIUNG_YONGAN if project.kind == "detention_facility" else (23.7, 120.9)
    return MapSite(f"{project.code}#{n}", project.name, project.name_zh, "detention_centre",
                   SiteType.detention_centre.zh, "owned", lat, lon, project.county.name,
                   project.county.name_zh, project=f"{project.code} (completed)")  # fmt: skip


def map_projects(session: Session, today: date) -> list[MapProject]:
    heads = list_projects(session, today)
    where: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for h in heads:
        where[h.project.code] = [(s.lat, s.lon) for s in h.sites]
    result = []
    for h in heads:
        points = where[h.project.code] or [KAOHSIUNG_YONGAN]
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        b = h.burn
        result.append(MapProject(
            h.project.code, h.project.name, h.project.name_zh, lat, lon, b.status, b.reasons,
            b.schedule_used_pct, b.work_done_pct, b.budget_burn_pct, b.forecast_finish,
            h.project.budget_total_ntd,
        ))  # fmt: skip
    return result


@dataclass(frozen=True)
class Road:
    """The road to full ownership on a date: every county's, and the nation's."""

    as_of: date
    projected: bool
    counties: list[CountyRoad]
    rollup: Rollup
    etags: dict[str, str]
    """County -> its pipeline's ETag (If-Match for PUT /api/v1/ownership/pipeline/{county})."""
    rent_fiscal_year: int


def ownership_road(
    session: Session, as_of: date, today: date, heads: list[Headline] | None = None,
    now: Holdings | None = None,
) -> Road:  # fmt: skip
    """Each county's pipeline from the site register, its projected year from the projects'
    forecasts (the one projection), the rent owning its leased sites would avoid; `now`, the
    holdings recorded on `today` where the caller has them."""
    heads = list_projects(session, today) if heads is None else heads
    now = recorded_holdings(session, today) if now is None else now
    held = now if as_of == today else holdings_on(session, as_of, today, heads)
    found = pipelines(session)
    fiscal_year = min(as_of, today).year
    links = {h.project.code: ProjectLink(h.project.code, h.burn.status, h.burn.forecast_finish,
                                         h.project.name_zh) for h in heads}  # fmt: skip
    data = RoadInputs(
        as_of, today, [(p.county.name, p.county.name_zh) for p in found], plain_tracks(found),
        held, now, completions(heads), links,
        {code: rent for code, (rent, _end) in rent_and_end_by_site(session, fiscal_year).items()},
        state_land_counties(session),
    )  # fmt: skip
    roads = county_roads(data)
    outlook = ownership_outlook(session, today, heads, now)
    return Road(as_of, held.projected, roads, rollup(roads, held, outlook),
                {p.county.name: p.etag for p in found}, fiscal_year)  # fmt: skip
