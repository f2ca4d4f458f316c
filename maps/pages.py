"""The pages executives open: the ownership map, the projects map and the dashboard."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from html import escape

from litestar import Response, Router
from litestar.params import FromQuery

from construction.burn import planned_fraction
from construction.services import Headline, list_projects, schedule_of
from facilities.cache import AnswerCache
from facilities.db import Database
from facilities.dependencies import AppSettings, Cache, Db, Today
from facilities.errors import DomainError
from facilities.http import get
from facilities.security import ACCESS
from facilities.services import ownership_summary
from leases.mandate import Office
from leases.services import offices, relocation_savings, rent_reduction_report, rule_for
from maps.charts import ownership_chart, rent_chart, s_curve
from maps.data import map_projects, map_sites, ownership_outlook
from maps.layers import RAG_COLOURS, ownership_map, projects_map, roc

HTML = "text/html; charset=utf-8"


def page(body: str) -> Response:
    return Response(body, media_type=HTML)


async def cached_page(cache: AnswerCache, db: Database, key: tuple, render) -> Response:
    """A page is drawn once per change of the data: `render(session)` runs on a miss only."""

    def compute() -> bytes:
        with db.session() as session:
            return render(session).encode()

    return page(await cache.answer(("page", *key), compute))


@get("/maps/ownership", include_in_schema=False)
async def ownership_page(
    db: Db, cache: Cache, settings: AppSettings, today: Today,
    as_of: FromQuery[date | None] = None,
) -> Response:  # fmt: skip
    day = as_of or today

    def render(session) -> str:
        sites, projected = map_sites(session, day, today)
        return ownership_map(sites, day, projected, settings.tile_url)

    return await cached_page(cache, db, ("ownership", day, today), render)


@get("/maps/projects", include_in_schema=False)
async def projects_page(db: Db, cache: Cache, settings: AppSettings, today: Today) -> Response:
    def render(session) -> str:
        return projects_map(map_projects(session, today), today, settings.tile_url)

    return await cached_page(cache, db, ("projects", today), render)


@get("/dashboard", include_in_schema=False, opt={ACCESS: "executive"})
async def dashboard(db: Db, cache: Cache, today: Today) -> Response:
    return await cached_page(cache, db, ("dashboard", today),
                             lambda session: render_dashboard(session, today))  # fmt: skip


def money(amount: int) -> str:
    return f"NT${amount:,}"


DASHBOARD_ROWS = 12
"""Projects (worst first) and centers (most rent avoided first) the dashboard draws in full; the
rest it counts, so that the page stays one screenful and quick at a ministry's scale."""


def render_dashboard(session, today: date) -> str:
    summary = ownership_summary(session, today)
    shares = {s.ownership: s for s in summary.national.shares}
    heads = list_projects(session, today)
    outlook = ownership_outlook(session, today, heads)
    last = outlook.years[-1]
    ownership_html = (
        f"<p class='big'>自有 owned <b>{shares['owned'].share_pct:.1f}%</b> "
        f"({shares['owned'].count} of {summary.national.total}) · 無償借用 borrowed "
        f"{shares['borrowed'].share_pct:.1f}% · 有償租用 leased "
        f"{shares['leased'].share_pct:.1f}%</p>"
        f"<img alt='ownership outlook' class='chart' src='{ownership_chart(outlook.years)}'>"
        f"<p>As the projects complete (forecast by earned schedule), owned sites rise to "
        f"<b>{last.owned}</b> of {last.total} ({last.owned_pct:.1f}%) by {last.year}; "
        f"<b>{last.to_full_ownership}</b> sites are still to own for full ownership "
        f"(完全自有化尚差 {last.to_full_ownership} 處).</p>"
    )  # fmt: skip
    rent_html = rent_section(session, today, heads)
    projects_html = projects_section(heads)
    links = (
        "<a href='/maps/ownership'>權屬地圖 Ownership map</a> · "
        "<a href='/maps/projects'>工程地圖 Projects map</a> · "
        f"<a href='/api/v1/reports/rent-reduction?fiscal_year={today.year}&format=xlsx'>"
        f"{today.year - 1911}年度租金降低報表 Rent-reduction report (Excel)</a> · "
        f"<a href='/api/v1/reports/rent-reduction?fiscal_year={today.year}&format=csv'>CSV</a>"
    )
    return f"""<!doctype html><html lang="zh-Hant"><head><meta charset="utf-8">
<title>移民署營舍及工程儀表板 Executive dashboard</title>
<link rel="stylesheet" href="/static/maps/maps.css">
<style>body{{font:14px/1.5 sans-serif;margin:1.5rem auto;max-width:72rem;color:#222}}
h1{{font-size:1.4rem}} h2{{font-size:1.15rem;border-bottom:1px solid #ccc;margin-top:2rem}}
.big{{font-size:1.1rem}} .chart{{max-width:100%}} table{{border-collapse:collapse;width:100%}}
td,th{{border-bottom:1px solid #eee;padding:4px 6px;text-align:left;vertical-align:top}}
.rag{{display:inline-block;width:.9rem;height:.9rem;border-radius:50%}}
.curve{{width:300px}}</style></head><body>
<h1>內政部入出國及移民署 營舍及工程儀表板 · Executive dashboard</h1>
<p>資料日期 As of {today.isoformat()} ({roc(today)}) · {links}</p>
<h2>服務據點權屬 Ownership of service sites</h2>{ownership_html}
<h2>租金與立法院降租決議 Rent and the 10% mandate</h2>{rent_html}
<h2>工程進度 Projects, those needing attention first</h2>{projects_html}
</body></html>"""


def rent_section(session, today: date, heads: list[Headline]) -> str:
    everyone = offices(session)  # read once for the chart, the report and the savings
    spend: dict[int, int] = {}
    for office in everyone:
        for year, rent in office.rents.items():
            spend[year] = spend.get(year, 0) + rent
    try:
        report = rent_reduction_report(session, today.year, rule_for(session), today, everyone)
    except DomainError as exc:
        return f"<p>{escape(exc.detail)}</p>"
    t = report.totals
    chart = rent_chart(spend, t.target_rent_ntd, today.year)
    savings = relocation_section(session, today, heads, everyone)
    return (
        f"<p class='big'>{today.year - 1911}年度 FY{today.year}: 達成 met or left rented space "
        f"<b>{t.met_or_ended}</b> of {t.assessed} offices ({t.share_met_pct:.1f}%) · "
        f"rent {money(t.actual_rent_ntd)} against a target of {money(t.target_rent_ntd)} · "
        f"saved {money(t.savings_ntd)} on the baseline {money(t.baseline_rent_ntd)}</p>"
        f"<p>規則 Rule: {escape(report.rule.describe_zh())} · {escape(report.rule.describe())}</p>"
        f"<img alt='rent by year' class='chart' src='{chart}'>{savings}"
    )  # fmt: skip


def relocation_section(session, today: date, heads: list[Headline], everyone: list[Office]) -> str:
    try:
        centers = relocation_savings(session, today.year, everyone)
    except DomainError:
        return ""
    costs = {h.project.lease_center_key: h.project for h in heads}
    centers.sort(key=lambda c: -c.annual_rent_avoided_ntd)
    rows = "".join(
        f"<tr><td>{escape(c.center.name_zh)} {escape(c.center.name)}</td>"
        f"<td>{', '.join(o.site_code for o in c.offices) or '—'}</td>"
        f"<td>{money(c.annual_rent_avoided_ntd)}</td>"
        f"<td>{money(costs[c.center.key].budget_total_ntd) if c.center.key in costs else '—'}</td>"
        f"</tr>"
        for c in centers[:DASHBOARD_ROWS]
    )  # fmt: skip
    if len(centers) > DASHBOARD_ROWS:
        total = sum(c.annual_rent_avoided_ntd for c in centers)
        rows += (f"<tr class='more'><td colspan='2'>全部 All {len(centers)} centers "
                 f"(<a href='/api/v1/reports/relocation-savings?fiscal_year={today.year}'>"
                 f"list</a>)</td><td>{money(total)}</td><td></td></tr>")  # fmt: skip
    return ("<h3>搬遷可省租金 What moving saves</h3><table><tr><th>中心 Center</th>"
            "<th>取代據點 Offices replaced</th><th>每年租金 Annual rent avoided</th>"
            f"<th>中心經費 Center's cost</th></tr>{rows}</table>")  # fmt: skip


def projects_section(heads: list[Headline]) -> str:
    rows = [project_row(h) for h in heads[:DASHBOARD_ROWS]]
    if rest := heads[DASHBOARD_ROWS:]:
        counts = Counter(h.burn.status for h in rest)
        rows.append(
            f"<tr class='more'><td colspan='5'>另有 {len(rest)} more projects: "
            + " · ".join(f"{counts[k]} {k}" for k in ("red", "amber", "green"))
            + " (<a href='/maps/projects'>projects map</a> · "
            "<a href='/api/v1/projects'>list</a>)</td></tr>"
        )
    return (
        "<table><tr><th>燈號 Status</th><th>計畫 Project</th><th>消耗 Burn</th>"
        f"<th>完工 Finish</th><th>S-curve</th></tr>{''.join(rows)}</table>"
    )


def project_row(h: Headline) -> str:
    b, p = h.burn, h.project
    schedule = schedule_of(p)
    span = (schedule.finish - schedule.start).days
    planned = [
        (schedule.start + timedelta(days=span * i // 24), planned_fraction(i / 24) * 100)
        for i in range(25)
    ]
    actual = [(r.data_date, r.percent_complete) for r in p.progress]
    curve = s_curve(planned, actual, f"{p.code}: planned vs actual % complete")
    return (
        f"<tr><td><span class='rag' style='background:{RAG_COLOURS[b.status]}'></span> "
        f"{b.status}</td><td><b>{escape(p.name_zh)}</b><br>{escape(p.name)} ({p.code})<br>"
        f"<small>{escape('; '.join(b.reasons))}</small></td>"
        f"<td>時程 schedule {b.schedule_used_pct:.1f}%<br>進度 work {b.work_done_pct:.1f}%"
        f"<br>經費 budget {b.budget_burn_pct:.1f}% of {money(p.budget_total_ntd)}</td>"
        f"<td>預估完工 forecast {b.forecast_finish.isoformat()}<br>"
        f"(planned {b.planned_finish.isoformat()})</td>"
        f"<td><img class='curve' alt='S-curve {p.code}' src='{curve}'></td></tr>"
    )  # fmt: skip


router = Router(path="/", route_handlers=[ownership_page, projects_page, dashboard])
