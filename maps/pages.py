"""The pages executives open: the ownership map, the projects map and the dashboard. Each is
drawn once per change of the data (cached), in a worker thread."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Annotated, Any
from urllib.parse import urlencode

import msgspec
from anyio import to_thread
from litestar import Request, Response, Router
from litestar.datastructures import State
from litestar.enums import RequestEncodingType
from litestar.params import Body, FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from sqlalchemy.orm import Session

from construction.files import relocation_table
from construction.rules import planned_curve
from construction.schemas import milestone_out
from construction.services import (
    Headline,
    list_projects,
    overdue_milestones,
    relocation_report,
    schedule_of,
)
from facilities.auth.middleware import may
from facilities.core.cache import AnswerCache
from facilities.core.chrome import NAV_MARK
from facilities.core.clock import AsOf, bounded
from facilities.core.db import Database
from facilities.core.dependencies import Actor, AppSettings, DbSession, Reads, Today
from facilities.core.errors import TITLES_ZH, DomainError
from facilities.core.http import ACCESS, HTML, get, post
from facilities.core.pages import page, submit
from facilities.core.roc import roc_year
from facilities.core.templates import render
from facilities.jobs.alerts import acknowledge, list_alerts
from facilities.ops.agency import current_agency
from facilities.sites.rules import ROAD, breakdown, summarize_holdings
from facilities.sites.services import county_order, recorded_holdings
from leases.files import report_table
from leases.rules import Mode, Office, PartYear, Rule
from leases.schemas import lease_out
from leases.services import (
    fiscal_year_for,
    list_leases,
    offices,
    relocation_savings,
    rent_reduction_report,
    rent_years,
    rule_for,
)
from maps.charts import COLOURS, ownership_chart, rent_chart, s_curve
from maps.data import (
    map_projects,
    map_sites,
    ownership_outlook,
    ownership_points,
    ownership_road,
)
from maps.layers import (
    NO_SITE,
    SHARE_BANDS,
    STATE_LAND_EDGE,
    ownership_map,
    project_features,
    projects_map,
    site_features,
)

MAP_NAV = (
    "<link rel='stylesheet' href='/static/app/nav.css'>"
    f"<div class='nia-map-nav'>{NAV_MARK.decode()}</div>"
    "<script src='/static/app/nav.js'></script>"
)
"""Where a map page's navigation goes (filled in per request: facilities.core.chrome)."""
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
async def ownership_page(state: State, reading: Reads, as_of: AsOf = None) -> Response:
    db, cache, settings, today = reading.db, reading.cache, reading.settings, reading.today
    day = bounded(as_of) or today

    def draw(session: Session) -> str:
        heads = list_projects(session, today)
        sites, projected = map_sites(session, day, today, heads)
        overlay = render(
            state.templates, "maps/ownership_overlay.html", as_of=day, projected=projected,
            total=len(sites), shares=breakdown([s.ownership for s in sites]).shares,
            colours=COLOURS, bands=SHARE_BANDS, no_site=NO_SITE, state_land_edge=STATE_LAND_EDGE,
        )  # fmt: skip
        road = render(state.templates, "maps/pipeline.html", overlay=True, stages=ROAD,
                      road=ownership_road(session, day, today, heads))  # fmt: skip
        title = f"{current_agency(session).short_name_zh}服務據點權屬地圖 Ownership map"
        feed = f"{SITES_FEED}?{urlencode({'as_of': day.isoformat()})}"
        return ownership_map(sites, day, title, feed, [MAP_NAV, overlay, road], settings.tile_url)

    return await cached_page(cache, db, ("ownership", day, today), draw)


SITES_FEED = "/maps/ownership/sites"


@get(SITES_FEED, include_in_schema=False)
async def ownership_sites(reading: Reads, as_of: AsOf = None) -> Response:
    """The ownership map's sites on a date (GeoJSON), fetched by the map's script."""
    db, cache, today = reading.db, reading.cache, reading.today
    day = bounded(as_of) or today

    def compute() -> bytes:
        with db.session() as session:
            return msgspec.json.encode(site_features(map_sites(session, day, today)[0]))

    body = await cache.answer(("ownership_sites", day, today), compute)
    return Response(body, media_type="application/geo+json")


PROJECTS_FEED = "/maps/projects/features"


@get("/maps/projects", include_in_schema=False)
async def projects_page(state: State, reading: Reads) -> Response:
    db, cache, settings, today = reading.db, reading.cache, reading.settings, reading.today

    def draw(session: Session) -> str:
        projects = map_projects(session, today)
        overlay = render(state.templates, "maps/projects_overlay.html", as_of=today,
                         counts=Counter(p.status for p in projects))  # fmt: skip
        title = f"{current_agency(session).short_name_zh}工程計畫地圖 Projects map"
        return projects_map(today, title, PROJECTS_FEED, [MAP_NAV, overlay], settings.tile_url)

    return await cached_page(cache, db, ("projects", today), draw)


@get(PROJECTS_FEED, include_in_schema=False)
async def projects_features(reading: Reads) -> Response:
    """The projects map's projects on the product's date (GeoJSON), fetched by the map's
    script."""
    db, cache, today = reading.db, reading.cache, reading.today

    def compute() -> bytes:
        with db.session() as session:
            return msgspec.json.encode(project_features(map_projects(session, today)))

    body = await cache.answer(("projects_features", today), compute)
    return Response(body, media_type="application/geo+json")


@get("/dashboard", include_in_schema=False, opt={ACCESS: "executive"})
async def dashboard(state: State, reading: Reads) -> Response:
    db, cache, today = reading.db, reading.cache, reading.today

    def draw(session: Session) -> str:
        return render(state.templates, "maps/dashboard.html", **dashboard_context(session, today))

    return await cached_page(cache, db, ("dashboard", today), draw)


def dashboard_context(session: Session, today: date) -> dict[str, Any]:
    now = recorded_holdings(session, today)  # read once for the summary, outlook and road
    summary = summarize_holdings(now, county_order(session))
    heads = list_projects(session, today)
    outlook = ownership_outlook(session, today, heads, now)
    return {
        "today": today,
        "shares": {s.ownership: s for s in summary.national.shares},
        "total": summary.national.total,
        "ownership_chart": ownership_chart(ownership_points(session, today, outlook)),
        "last": outlook[-1],
        "rent": rent_context(session, today, heads),
        "projects": projects_context(heads),
        "road": ownership_road(session, today, today, heads, now),
        "stages": ROAD,
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
        "centers": centers_context(session, report.fiscal_year, today, heads, everyone),
    }


def centers_context(
    session: Session, fiscal_year: int, today: date, heads: list[Headline],
    everyone: list[Office],
) -> dict[str, Any] | None:  # fmt: skip
    try:
        centers = relocation_savings(session, fiscal_year, today, everyone)
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
    actual = [(r.data_date, r.percent_complete) for r in head.progress]
    title = f"{head.project.code} 計畫與實際完成率 planned vs actual % complete"
    return s_curve(planned_curve(schedule_of(head.project)), actual, title)


Year = Annotated[int | None, QueryParameter(ge=1990, le=2100)]
RENT = ("/reports/rent-reduction", "/api/v1/reports/rent-reduction")
RELOCATION = ("/reports/relocation-savings", "/api/v1/reports/relocation-savings")
FILE_KINDS = (("Excel (xlsx)", "xlsx"), ("CSV", "csv"), ("JSON", "json"))
MODES = [("one_off", "一次性降低 one-off"), ("year_on_year", "逐年降低 year on year")]
PART_YEARS = [("annualise", "按日數換算全年 annualise"), ("exclude", "不列基準 exclude")]


async def report_page(
    cache: AnswerCache, db: Database, key: tuple, draw: Callable[[Session], str],
    problem_page: Callable[[DomainError], str],
) -> Response:  # fmt: skip
    """A report's page, drawn once per change of the data; a report that cannot be made (a
    year with no rent) is the page with the form and the reason, under the error's status."""
    try:
        return await cached_page(cache, db, key, draw)
    except DomainError as exc:
        return Response(problem_page(exc), status_code=exc.status_code, media_type=HTML)


def report_context(
    title: str, paths: tuple[str, str], query: dict[str, Any], other: tuple[str, str]
) -> dict[str, Any]:
    """What a report page's frame shows: its form, the same report as files, the other one."""
    page, api = paths
    return {
        "title": title, "action": page, "params": query, "table": None, "problem": None,
        "downloads": [(label, f"{api}?{urlencode(query | {'format': kind})}")
                      for label, kind in FILE_KINDS],
        "links": [(other[0], f"{other[1]}?fiscal_year={query['fiscal_year']}")],
    }  # fmt: skip


def report_year_of(db: Database, asked: int | None, today: date) -> int:
    """The year asked for, else the latest with rent recorded (the product's year if none)."""
    if asked is not None:
        return asked
    with db.session() as session:
        try:
            return fiscal_year_for(rent_years(session), None, today)[0]
        except DomainError:
            return today.year


def rule_query(fiscal_year: int, rule: Rule) -> dict[str, Any]:
    return {"fiscal_year": fiscal_year, "mode": rule.mode.value, "rate": rule.rate_text,
            "baseline_fiscal_year": rule.baseline_fiscal_year,
            "part_year": rule.part_year.value}  # fmt: skip


@get("/reports/rent-reduction", include_in_schema=False)
async def rent_report_page(
    state: State, reading: Reads, fiscal_year: Year = None,
    mode: FromQuery[Mode | None] = None,
    rate: Annotated[float | None, QueryParameter(ge=0, le=100)] = None,
    baseline_fiscal_year: Year = None, part_year: FromQuery[PartYear | None] = None,
) -> Response:  # fmt: skip
    """The rent-reduction report as a page to read and to print (A4 landscape)."""
    db, cache, today = reading.db, reading.cache, reading.today
    year = await to_thread.run_sync(report_year_of, db, fiscal_year, today)
    rate_pct = Decimal(str(rate)) if rate is not None else None

    def page(session: Session, **shown: Any) -> str:
        rule = rule_for(session, mode, rate_pct, baseline_fiscal_year, part_year)
        frame = report_context(f"{roc_year(year)}年度租金降低報表 Rent reduction FY{year}", RENT,
                               rule_query(year, rule), ("搬遷可省租金 What moving saves",
                                                        RELOCATION[0]))  # fmt: skip
        return render(state.templates, "maps/rent_report.html", modes=MODES,
                      part_years=PART_YEARS, **frame | shown)  # fmt: skip

    def draw(session: Session) -> str:
        rule = rule_for(session, mode, rate_pct, baseline_fiscal_year, part_year)
        return page(session, table=report_table(rent_reduction_report(session, year, rule, today)))

    def problem(exc: DomainError) -> str:
        with db.session() as session:
            return page(session, problem=exc.detail)

    key = ("rent_page", year, mode, rate, baseline_fiscal_year, part_year, today)
    return await report_page(cache, db, key, draw, problem)


@get("/reports/relocation-savings", include_in_schema=False)
async def relocation_page(state: State, reading: Reads, fiscal_year: Year = None) -> Response:
    """What moving saves, as a page to read and to print (A4 landscape)."""
    db, cache, today = reading.db, reading.cache, reading.today
    year = await to_thread.run_sync(report_year_of, db, fiscal_year, today)
    frame = report_context(
        f"{roc_year(year)}年度搬遷可省租金 What moving saves FY{year}",
        RELOCATION,
        {"fiscal_year": year},
        ("租金降低報表 Rent reduction", RENT[0]),
    )

    def draw(session: Session) -> str:
        table = relocation_table(relocation_report(session, year, today))
        return render(state.templates, "maps/relocation_report.html", **frame | {"table": table})

    def problem(exc: DomainError) -> str:
        return render(state.templates, "maps/relocation_report.html",
                      **frame | {"problem": exc.detail})  # fmt: skip

    return await report_page(cache, db, ("relocation_page", year, today), draw, problem)


HOMES = {"executive": "/dashboard", "liaison": "/reports", "staff": "/work",
         "admin": "/admin/users"}  # fmt: skip
"""Where each role lands after logging in."""
MONTHLY_DAYS = 31


@get("/", include_in_schema=False, sync_to_thread=False)
def home(request: Request) -> Redirect:
    return Redirect(HOMES.get(request.user.role, "/reports"), status_code=303)


@get("/work", sync_to_thread=True, include_in_schema=False, opt={ACCESS: "write"})
def work_page(
    request: Request, session: DbSession, settings: AppSettings, today: Today
) -> Template:
    """What is due for facilities staff: reports, milestones, leases, alerts."""
    heads = list_projects(session, today)
    due = [(h, h.burn.data_date) for h in heads if progress_due(h, today)]
    overdue = [milestone_out(m, today) for m in overdue_milestones(session, today)]
    leases = list_leases(session, today=today, expiring_within_days=settings.lease_alert_days,
                         limit=1000)  # fmt: skip
    return page("maps/work.html", today=today, progress_due=due, overdue=overdue,
                leases=[lease_out(x, today) for x in leases.items],
                alerts=open_alerts(session), can_write=True, back="/work")  # fmt: skip


def progress_due(head: Headline, today: date) -> bool:
    """A monthly report is due: work is planned and the last report is more than a month old."""
    b = head.burn
    stale = b.data_date is None or (today - b.data_date).days > MONTHLY_DAYS
    return b.planned_pct > 0 and b.work_done_pct < 100 and stale and today >= b.start


def open_alerts(session: DbSession) -> list:
    return list(list_alerts(session, open_only=True, limit=1000, offset=0).items)


@get("/alerts", sync_to_thread=True, include_in_schema=False, opt={ACCESS: "executive"})
def alerts_page(request: Request, session: DbSession, all: FromQuery[bool] = False) -> Template:
    alerts = list_alerts(session, open_only=not all, limit=1000, offset=0).items
    return page("maps/alerts.html", alerts=alerts, show_all=all,
                can_write=may(request, "write"), back="/alerts")  # fmt: skip


class AckForm(msgspec.Struct):
    etag: str
    back: str = "/alerts"


@post("/alerts/{alert_id:int}/ack", sync_to_thread=True, include_in_schema=False)
def ack_form(
    request: Request, session: DbSession, actor: Actor, alert_id: FromPath[int],
    data: Annotated[AckForm, Body(media_type=RequestEncodingType.URL_ENCODED)],
) -> Template | Redirect:  # fmt: skip
    back = data.back if data.back in ("/alerts", "/work") else "/alerts"
    return submit(
        session, lambda: acknowledge(session, alert_id, data.etag, actor), lambda _: back,
        lambda exc: page("core/error.html", exc.status_code, status=exc.status_code,
                         title=exc.title, title_zh=TITLES_ZH.get(exc.status_code, ""),
                         detail=exc.detail, problems=[], back=back),
    )  # fmt: skip


@get("/reports", sync_to_thread=True, include_in_schema=False)
def reports_page(session: DbSession, today: Today) -> Template:
    """The liaison's reports: the rent reduction in both rules, what moving saves."""
    try:
        year, note = fiscal_year_for(rent_years(session), None, today)
    except DomainError:
        year, note = today.year, ""
    return page("maps/reports.html", year=year, year_note=note, modes=MODES)


PAGES = [home, work_page, alerts_page, ack_form, reports_page]


router = Router(
    path="/",
    route_handlers=[
        ownership_page,
        ownership_sites,
        projects_features,
        projects_page,
        dashboard,
        rent_report_page,
        relocation_page,
        *PAGES,
    ],
)
