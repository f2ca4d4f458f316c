"""What the maps and the dashboard read from the three registers (sites, leases, projects)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from construction.models import Project, ProjectSite
from construction.services import Headline, list_projects
from facilities.sites.models import Site
from facilities.sites.rules import Completion, SiteType, project_ownership
from facilities.sites.services import holdings_on, ownership_by_code
from leases.models import Lease
from leases.services import offices
from maps.layers import MapProject, MapSite

KAOHSIUNG_YONGAN = (22.82, 120.23)


def completions(heads: list[Headline]) -> list[Completion]:
    """When each project will finish (its forecast by earned schedule) and what it makes owned."""
    return [
        Completion(h.project.code, h.burn.forecast_finish,
                   tuple(s.site.code for s in h.project.sites), h.project.new_sites)
        for h in heads
    ]  # fmt: skip


def leases_by_site(session: Session, fiscal_year: int) -> dict[str, tuple[int, date]]:
    """Site code -> (annual rent, end of its latest lease)."""
    rent = {o.site_code: o.rents.get(fiscal_year, o.contracted_rent or 0) for o in offices(session)}
    ends: dict[str, date] = {}
    for code, end in session.execute(
        select(Site.code, Lease.end_date).join(Site, Site.id == Lease.site_id)
        .order_by(Lease.start_date)
    ):  # fmt: skip
        ends[code] = end
    return {code: (rent.get(code, 0), end) for code, end in ends.items()}


def map_sites(session: Session, as_of: date, today: date) -> tuple[list[MapSite], bool]:
    """The sites on `as_of`: from the history up to today, projected after it."""
    projected = as_of > today
    holdings = holdings_on(session, min(as_of, today))
    heads = list_projects(session, today)
    status = {h.project.code: h.burn.status for h in heads}
    project_of = {
        code: f"{project} ({status[project]})"
        for code, project in session.execute(
            select(Site.code, Project.code).select_from(ProjectSite)
            .join(Site, Site.id == ProjectSite.site_id)
            .join(Project, Project.id == ProjectSite.project_id)
        )
    }  # fmt: skip
    owned_by_then: set[str] = set()
    new_sites: list[MapSite] = []
    if projected:
        for h in heads:
            if h.burn.forecast_finish <= as_of:
                owned_by_then |= {s.site.code for s in h.project.sites}
                new_sites += [new_site(h.project, n) for n in range(h.project.new_sites)]
    leases = leases_by_site(session, min(as_of, today).year)
    sites = []
    for site, ownership in holdings:
        ownership = "owned" if site.code in owned_by_then else ownership
        rent, end = leases.get(site.code, (None, None)) if ownership == "leased" else (None, None)
        sites.append(MapSite(
            site.code, site.name, site.name_zh, site.site_type, SiteType(site.site_type).zh,
            ownership, site.lat, site.lon, site.county.name, site.county.name_zh,
            site.state_land_obtained, rent, end, project_of.get(site.code),
        ))  # fmt: skip
    return sites + new_sites, projected


def new_site(project: Project, n: int) -> MapSite:
    lat, lon = KAOHSIUNG_YONGAN if project.kind == "detention_facility" else (23.7, 120.9)
    return MapSite(f"{project.code}#{n}", project.name, project.name_zh, "detention_centre",
                   SiteType.detention_centre.zh, "owned", lat, lon, project.county.name,
                   project.county.name_zh, project=f"{project.code} (completed)")  # fmt: skip


def map_projects(session: Session, today: date) -> list[MapProject]:
    heads = list_projects(session, today)
    where: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for h in heads:
        where[h.project.code] = [(s.site.lat, s.site.lon) for s in h.project.sites]
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
class OwnershipOutlook:
    now: dict[str, str]
    years: list


def ownership_outlook(
    session: Session, today: date, heads: list[Headline], last_year: int = 2021
) -> OwnershipOutlook:
    holdings = ownership_by_code(session, today)
    years = project_ownership(holdings, completions(heads), range(today.year, last_year + 1))
    return OwnershipOutlook(holdings, years)
