"""Rows in, folium maps out: pure functions with no database and no web."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from html import escape

import folium
from folium.template import Template

from facilities.core.roc import roc_date
from facilities.sites.rules import Ownership
from maps.assets import LEAFLET_CSS, LEAFLET_JS, land_outline
from maps.charts import COLOURS

CANVAS_ABOVE = 1000
"""Above this many sites markers are drawn on one canvas instead of an SVG element each."""
RAG_COLOURS = {"red": "#c62828", "amber": "#f9a825", "green": "#2e7d32"}
TAIWAN_BOUNDS = [[21.85, 118.15], [26.40, 122.05]]

# folium writes the GeoJSON with Jinja's `tojson`: ASCII-escaped and spaced, Chinese text costs
# six bytes a character. All folium templates share one Jinja environment: make its JSON compact
# UTF-8 (still HTML-safe: `<`, `>`, `&` and `'` stay escaped). A quarter off the 100x map.
Template("").environment.policies["json.dumps_kwargs"] = {
    "sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}  # fmt: skip


@dataclass(frozen=True)
class MapSite:
    code: str
    name: str
    name_zh: str
    site_type: str
    site_type_zh: str
    ownership: str
    lat: float
    lon: float
    county: str
    county_zh: str
    state_land_obtained: bool = False
    annual_rent_ntd: int | None = None
    lease_end: date | None = None
    project: str | None = None
    """The project that involves the site, with its status, e.g. "MSC-KHH (red)"."""


@dataclass(frozen=True)
class MapProject:
    code: str
    name: str
    name_zh: str
    lat: float
    lon: float
    status: str
    reasons: Sequence[str]
    schedule_used_pct: float
    work_done_pct: float
    budget_burn_pct: float
    forecast_finish: date
    budget_total_ntd: int


def base_map(count: int, tile_url: str | None) -> folium.Map:
    figure = folium.Map(
        location=[23.8, 120.6], zoom_start=7, tiles=None, prefer_canvas=count > CANVAS_ABOVE,
        control_scale=True, attribution_control=False,
    )  # fmt: skip
    figure.default_js = LEAFLET_JS  # on the instance: the class lists stay as folium ships them
    figure.default_css = LEAFLET_CSS
    folium.GeoJson(
        land_outline(),
        name="陸地 Land",
        control=False,
        style_function=lambda _: {
            "fillColor": "#e8e4d8",
            "color": "#9a927c",
            "weight": 1,
            "fillOpacity": 1,
        },  # fmt: skip
    ).add_to(figure)
    if tile_url:
        folium.TileLayer(tiles=tile_url, attr="Agency tile server", name="底圖 Base map").add_to(
            figure
        )
    figure.fit_bounds(TAIWAN_BOUNDS)
    return figure


COMMON_FIELDS = {"zh": "據點", "en": "Site", "what": "類型 Type", "held": "權屬 Ownership",
                 "project": "工程 Project"}  # fmt: skip
FIELDS = {
    "owned": COMMON_FIELDS,
    "borrowed": COMMON_FIELDS,
    "leased": COMMON_FIELDS | {"rent": "年租金 Annual rent", "ends": "租約到期 Lease ends",
                               "land": "國有土地 State land"},
}  # fmt: skip
"""What each layer's popups show, the labels written once per layer rather than per site."""


def site_properties(site: MapSite) -> dict[str, str]:
    """What a site's popup and tooltip show, HTML-escaped: folium's popups and Leaflet's
    tooltips put these strings into the page as HTML, so a name is text, never markup."""
    kind = Ownership(site.ownership)
    fields = {
        "zh": site.name_zh, "en": site.name,
        "what": f"{site.site_type_zh} {site.site_type.replace('_', ' ')} · {site.county_zh}",
        "held": f"{kind.zh} {kind.value}", "project": site.project or "—",
        "rent": f"NT${site.annual_rent_ntd:,}" if site.annual_rent_ntd is not None else "—",
        "ends": (f"{site.lease_end.isoformat()} ({roc_date(site.lease_end)})"
                 if site.lease_end else "—"),
        "land": "已取得 obtained" if site.state_land_obtained else "—",
    }  # fmt: skip
    return {name: escape(value) for name, value in fields.items()}


def donut(shares: Counter, state_land: bool) -> str:
    total = sum(shares.values()) or 1
    stops, start = [], 0.0
    for kind in ("owned", "borrowed", "leased"):
        end = start + shares[kind] * 100 / total
        stops.append(f"{COLOURS[kind]} {start:.1f}% {end:.1f}%")
        start = end
    css = "state-land" if state_land else ""
    return (f"<div class='nia-donut {css}'><span style='background:conic-gradient("
            f"{', '.join(stops)})'></span></div>")  # fmt: skip


def ownership_map(
    sites: Sequence[MapSite], overlays: Sequence[str] = (), tile_url: str | None = None
) -> str:
    """The sites, a layer per ownership, and a donut per county; `overlays` (the caption and
    legend, drawn from the page's templates) on top."""
    figure = base_map(len(sites), tile_url)
    counts = Counter(s.ownership for s in sites)
    for kind in Ownership:
        # one GeoJSON layer per kind, popups built in the browser from each feature's
        # properties: a few hundred bytes a site, where a folium marker each costs kilobytes
        fields = FIELDS[kind.value]
        features = [
            {"type": "Feature", "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
             "properties": {name: value for name, value in site_properties(s).items()
                            if name in fields}}
            for s in sites if s.ownership == kind.value
        ]  # fmt: skip
        name = f"{kind.zh} {kind.value} ({counts[kind.value]})"
        if not features:  # folium's popups refuse a layer with no feature to take fields from
            folium.FeatureGroup(name=name).add_to(figure)
            continue
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=name,
            marker=folium.CircleMarker(
                radius=7, color="#ffffff", weight=1, fill=True, fill_color=COLOURS[kind.value],
                fill_opacity=0.95, className=f"nia-site nia-{kind.value}",
            ),
            style_function=lambda _, colour=COLOURS[kind.value]: {
                "fillColor": colour, "color": "#ffffff", "weight": 1, "fillOpacity": 0.95},
            popup=folium.GeoJsonPopup(fields=list(fields), aliases=list(fields.values())),
            tooltip=folium.GeoJsonTooltip(fields=["zh"], labels=False),
        ).add_to(figure)  # fmt: skip
    # the county donuts lie under the site markers (Leaflet's overlay pane is at 400)
    folium.map.CustomPane("county-ratios", z_index=390, pointer_events=True).add_to(figure)
    counties = folium.FeatureGroup(name="縣市比例 County ratios")
    by_county: dict[str, list[MapSite]] = {}
    for site in sites:
        by_county.setdefault(site.county, []).append(site)
    for county, members in by_county.items():
        shares = Counter(s.ownership for s in members)
        lat = sum(s.lat for s in members) / len(members)
        lon = sum(s.lon for s in members) / len(members)
        state_land = any(s.state_land_obtained for s in members)
        tip = escape(f"{members[0].county_zh} {county}: " + ", ".join(
            f"{Ownership(k).zh} {shares[k]}" for k in ("owned", "borrowed", "leased"))
            + (" · 已取得國有土地 state land obtained" if state_land else ""))  # fmt: skip
        folium.Marker(
            [lat, lon], icon=folium.DivIcon(html=donut(shares, state_land), icon_size=(34, 34),
                                            icon_anchor=(17, 17), class_name="nia-county"),
            tooltip=tip, pane="county-ratios",
        ).add_to(counties)  # fmt: skip
    counties.add_to(figure)
    folium.LayerControl(collapsed=False).add_to(figure)
    return rendered(figure, overlays)


def rendered(figure: folium.Map, overlays: Sequence[str]) -> str:
    root = figure.get_root()
    for html in overlays:
        root.html.add_child(folium.Element(html))
    return root.render()


def projects_map(
    projects: Sequence[MapProject], overlays: Sequence[str] = (), tile_url: str | None = None
) -> str:
    figure = base_map(len(projects), tile_url)
    for kind in ("red", "amber", "green"):
        group = folium.FeatureGroup(name={"red": "紅燈 red", "amber": "黃燈 amber",
                                          "green": "綠燈 green"}[kind])  # fmt: skip
        for p in (x for x in projects if x.status == kind):
            popup = (
                f"<b>{escape(p.name_zh)}</b><br>{escape(p.name)} ({p.code})<br>"
                f"狀態 Status: <b style='color:{RAG_COLOURS[kind]}'>{kind}</b> · "
                f"{escape('; '.join(p.reasons))}<br>"
                f"時程 Schedule used {p.schedule_used_pct:.1f}% · 進度 work done "
                f"{p.work_done_pct:.1f}% · 經費 budget spent {p.budget_burn_pct:.1f}%<br>"
                f"預算 Budget NT${p.budget_total_ntd:,} · 預估完工 forecast finish "
                f"{p.forecast_finish.isoformat()} ({roc_date(p.forecast_finish)})"
            )
            folium.CircleMarker(
                location=[p.lat, p.lon], radius=11, color="#333333", weight=1, fill=True,
                fill_color=RAG_COLOURS[kind], fill_opacity=0.95,
                popup=folium.Popup(popup, max_width=360), tooltip=escape(f"{p.name_zh} · {kind}"),
                className=f"nia-project nia-{kind}",
            ).add_to(group)  # fmt: skip
        group.add_to(figure)
    folium.LayerControl(collapsed=False).add_to(figure)
    return rendered(figure, overlays)
