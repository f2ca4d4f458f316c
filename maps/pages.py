"""The pages executives open: the ownership map, the projects map and the dashboard. Each is
drawn once per change of the data (cached), in a worker thread."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from typing import Any

from litestar import Response, Router
from litestar.datastructures import State
from sqlalchemy.orm import Session

from construction.rules import planned_curve
from construction.services import Headline, list_projects, schedule_of
from facilities.core.cache import AnswerCache
from facilities.core.clock import AsOf, bounded
from facilities.core.db import Database
from facilities.core.dependencies import AppSettings, Cache, Db, Today
from facilities.core.errors import DomainError
from facilities.core.http import ACCESS, HTML, get
from facilities.core.templates import render
from facilities.sites.rules import breakdown
from facilities.sites.services import ownership_summary
from leases.rules import Office
from leases.services import offices, relocation_savings, rent_reduction_report, rule_for
from maps.charts import COLOURS, ownership_chart, rent_chart, s_curve
from maps.data import map_projects, map_sites, ownership_outlook
from maps.layers import ownership_map, projects_map

DASHBOARD_ROWS = 12
"""Projects (worst first) and centers (most rent avoided first) the dashboard draws in full; the
rest it counts, so that the page stays one screenful and quick at a ministry's scale."""


async def cached_page(
    cache: AnswerCache, db: Database, key: tuple, draw: Callable[[Session], str]
) -> Response:
    """A page is drawn once per change of the data: `draw(session)` runs on a miss only."""

    def compute() -> bytes:
        with db.session() as session:
            return draw(session).encode()

    return Response(await cache.answer(("page", *key), compute), media_type=HTML)


@get("/maps/ownership", include_in_schema=False)
async def ownership_page(
    state: State, db: Db, cache: Cache, settings: AppSettings, today: Today,
    as_of: AsOf = None,
) -> Response:  # fmt: skip
    day = bounded(as_of) or today

    def draw(session: Session) -> str:
        sites, projected = map_sites(session, day, today)
        overlay = render(
            state.templates, "maps/ownership_overlay.html", as_of=day, projected=projected,
            total=len(sites), shares=breakdown([s.ownership for s in sites]).shares,
            colours=COLOURS,
        )  # fmt: skip
        return ownership_map(sites, [overlay], settings.tile_url)

    return await cached_page(cache, db, ("ownership", day, today), draw)


@get("/maps/projects", include_in_schema=False)
async def projects_page(
    state: State, db: Db, cache: Cache, settings: AppSettings, today: Today
) -> Response:
    def draw(session: Session) -> str:
        projects = map_projects(session, today)
        overlay = render(state.templates, "maps/projects_overlay.html", as_of=today,
                         counts=Counter(p.status for p in projects))  # fmt: skip
        return projects_map(projects, [overlay], settings.tile_url)

    return await cached_page(cache, db, ("projects", today), draw)


@get("/dashboard", include_in_schema=False, opt={ACCESS: "executive"})
async def dashboard(state: State, db: Db, cache: Cache, today: Today) -> Response:
    def draw(session: Session) -> str:
        return render(state.templates, "maps/dashboard.html", **dashboard_context(session, today))

    return await cached_page(cache, db, ("dashboard", today), draw)


def dashboard_context(session: Session, today: date) -> dict[str, Any]:
    summary = ownership_summary(session, today)
    heads = list_projects(session, today)
    outlook = ownership_outlook(session, today, heads)
    return {
        "today": today,
        "shares": {s.ownership: s for s in summary.national.shares},
        "total": summary.national.total,
        "ownership_chart": ownership_chart(outlook),
        "last": outlook[-1],
        "rent": rent_context(session, today, heads),
        "projects": projects_context(heads),
    }


def rent_context(session: Session, today: date, heads: list[Headline]) -> dict[str, Any]:
    everyone = offices(session)  # read once for the chart, the report and the savings
    spend: dict[int, int] = {}
    for office in everyone:
        for year, rent in office.rents.items():
            spend[year] = spend.get(year, 0) + rent
    try:
        report = rent_reduction_report(session, None, rule_for(session), today, everyone)
    except DomainError as exc:
        return {"unavailable": exc.detail}
    return {
        "unavailable": None,
        "report": report,
        "chart": rent_chart(spend, report.totals.target_rent_ntd, report.fiscal_year),
        "centers": centers_context(session, report.fiscal_year, heads, everyone),
    }


def centers_context(
    session: Session, fiscal_year: int, heads: list[Headline], everyone: list[Office]
) -> dict[str, Any] | None:
    try:
        centers = relocation_savings(session, fiscal_year, everyone)
    except DomainError:
        return None
    centers.sort(key=lambda c: -c.annual_rent_avoided_ntd)
    return {
        "shown": centers[:DASHBOARD_ROWS],
        "more": len(centers) > DASHBOARD_ROWS,
        "count": len(centers),
        "total": sum(c.annual_rent_avoided_ntd for c in centers),
        "costs": {h.project.lease_center_key: h.project.budget_total_ntd for h in heads},
    }


def projects_context(heads: list[Headline]) -> dict[str, Any]:
    rest = heads[DASHBOARD_ROWS:]
    shown = [{"head": h, "curve": project_curve(h)} for h in heads[:DASHBOARD_ROWS]]
    return {"shown": shown, "rest": rest, "rest_counts": Counter(h.burn.status for h in rest)}


def project_curve(head: Headline) -> str:
    actual = [(r.data_date, r.percent_complete) for r in head.project.progress]
    title = f"{head.project.code}: planned vs actual % complete"
    return s_curve(planned_curve(schedule_of(head.project)), actual, title)


router = Router(path="/", route_handlers=[ownership_page, projects_page, dashboard])
