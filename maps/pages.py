"""The pages executives open: the ownership map, the projects map and the dashboard."""

from __future__ import annotations

from datetime import date, timedelta
from html import escape

from litestar import Response, Router
from litestar.params import FromQuery

from construction.burn import planned_fraction
from construction.services import list_projects, schedule_of
from facilities.dependencies import AppSettings, DbSession, Today
from facilities.errors import DomainError
from facilities.http import get
from facilities.security import ACCESS
from facilities.services import ownership_summary
from leases.services import offices, relocation_savings, rent_reduction_report, rule_for
from maps.charts import ownership_chart, rent_chart, s_curve
from maps.data import map_projects, map_sites, ownership_outlook
from maps.layers import RAG_COLOURS, ownership_map, projects_map, roc

HTML = "text/html; charset=utf-8"


def page(body: str) -> Response:
    return Response(body, media_type=HTML)


@get("/maps/ownership", sync_to_thread=True, include_in_schema=False)
def ownership_page(
    session: DbSession, settings: AppSettings, today: Today, as_of: FromQuery[date | None] = None
) -> Response:
    day = as_of or today
    sites, projected = map_sites(session, day, today)
    return page(ownership_map(sites, day, projected, settings.tile_url))


@get("/maps/projects", sync_to_thread=True, include_in_schema=False)
def projects_page(session: DbSession, settings: AppSettings, today: Today) -> Response:
    return page(projects_map(map_projects(session, today), today, settings.tile_url))


@get("/dashboard", sync_to_thread=True, include_in_schema=False, opt={ACCESS: "executive"})
def dashboard(session: DbSession, today: Today) -> Response:
    return page(render_dashboard(session, today))


def money(amount: int) -> str:
    return f"NT${amount:,}"


def render_dashboard(session, today: date) -> str:
    summary = ownership_summary(session, today)
    shares = {s.ownership: s for s in summary.national.shares}
    outlook = ownership_outlook(session, today)
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
    rent_html = rent_section(session, today)
    projects_html = projects_section(session, today)
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


def rent_section(session, today: date) -> str:
    spend: dict[int, int] = {}
    for office in offices(session):
        for year, rent in office.rents.items():
            spend[year] = spend.get(year, 0) + rent
    try:
        report = rent_reduction_report(session, today.year, rule_for(session), today)
    except DomainError as exc:
        return f"<p>{escape(exc.detail)}</p>"
    t = report.totals
    chart = rent_chart(spend, t.target_rent_ntd, today.year)
    savings = relocation_section(session, today)
    return (
        f"<p class='big'>{today.year - 1911}年度 FY{today.year}: 達成 met or left rented space "
        f"<b>{t.met_or_ended}</b> of {t.assessed} offices ({t.share_met_pct:.1f}%) · "
        f"rent {money(t.actual_rent_ntd)} against a target of {money(t.target_rent_ntd)} · "
        f"saved {money(t.savings_ntd)} on the baseline {money(t.baseline_rent_ntd)}</p>"
        f"<p>規則 Rule: {escape(report.rule.describe_zh())} · {escape(report.rule.describe())}</p>"
        f"<img alt='rent by year' class='chart' src='{chart}'>{savings}"
    )  # fmt: skip


def relocation_section(session, today: date) -> str:
    try:
        centers = relocation_savings(session, today.year)
    except DomainError:
        return ""
    costs = {h.project.lease_center_key: h.project for h in list_projects(session, today)}
    rows = "".join(
        f"<tr><td>{escape(c.center.name_zh)} {escape(c.center.name)}</td>"
        f"<td>{', '.join(o.site_code for o in c.offices) or '—'}</td>"
        f"<td>{money(c.annual_rent_avoided_ntd)}</td>"
        f"<td>{money(costs[c.center.key].budget_total_ntd) if c.center.key in costs else '—'}</td>"
        f"</tr>"
        for c in centers
    )  # fmt: skip
    return ("<h3>搬遷可省租金 What moving saves</h3><table><tr><th>中心 Center</th>"
            "<th>取代據點 Offices replaced</th><th>每年租金 Annual rent avoided</th>"
            f"<th>中心經費 Center's cost</th></tr>{rows}</table>")  # fmt: skip


def projects_section(session, today: date) -> str:
    rows = []
    for h in list_projects(session, today):
        b, p = h.burn, h.project
        schedule = schedule_of(p)
        span = (schedule.finish - schedule.start).days
        planned = [
            (schedule.start + timedelta(days=span * i // 24), planned_fraction(i / 24) * 100)
            for i in range(25)
        ]
        actual = [(r.data_date, r.percent_complete) for r in p.progress]
        curve = s_curve(planned, actual, f"{p.code}: planned vs actual % complete")
        rows.append(
            f"<tr><td><span class='rag' style='background:{RAG_COLOURS[b.status]}'></span> "
            f"{b.status}</td><td><b>{escape(p.name_zh)}</b><br>{escape(p.name)} ({p.code})<br>"
            f"<small>{escape('; '.join(b.reasons))}</small></td>"
            f"<td>時程 schedule {b.schedule_used_pct:.1f}%<br>進度 work {b.work_done_pct:.1f}%"
            f"<br>經費 budget {b.budget_burn_pct:.1f}% of {money(p.budget_total_ntd)}</td>"
            f"<td>預估完工 forecast {b.forecast_finish.isoformat()}<br>"
            f"(planned {b.planned_finish.isoformat()})</td>"
            f"<td><img class='curve' alt='S-curve {p.code}' src='{curve}'></td></tr>"
        )  # fmt: skip
    return (
        "<table><tr><th>燈號 Status</th><th>計畫 Project</th><th>消耗 Burn</th>"
        f"<th>完工 Finish</th><th>S-curve</th></tr>{''.join(rows)}</table>"
    )


router = Router(path="/", route_handlers=[ownership_page, projects_page, dashboard])
