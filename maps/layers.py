"""Rows in, folium maps out: pure functions with no database and no web."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from html import escape
from typing import TYPE_CHECKING

from facilities.core.roc import roc_date
from facilities.sites.rules import Ownership
from maps.assets import (
    CLUSTER_CSS,
    CLUSTER_JS,
    LEAFLET_CSS,
    LEAFLET_JS,
    county_names,
    county_shapes,
    known_names,
)
from maps.charts import COLOURS

CANVAS_ABOVE = 1000
"""Above this many sites the markers are drawn on one canvas instead of an SVG element each."""
RAG_COLOURS = {"red": "#d55e00", "amber": "#e69f00", "green": "#009e73"}
"""Okabe-Ito vermilion, orange and bluish green: apart for colour-blind readers too."""
TAIWAN_BOUNDS = [[21.85, 118.15], [26.40, 122.05]]

if TYPE_CHECKING:
    import folium


@cache
def _folium():
    """folium, imported at the first map, not at start-up: every CLI command and job imports
    this module through the pages.

    folium writes the GeoJSON with Jinja's `tojson`: ASCII-escaped and spaced, Chinese text
    costs six bytes a character. All folium templates share one Jinja environment: make its JSON
    compact UTF-8 (still HTML-safe: `<`, `>`, `&` and `'` stay escaped). A quarter off the 100x
    map."""
    import folium
    from folium.template import Template

    Template("").environment.policies["json.dumps_kwargs"] = {
        "sort_keys": True, "ensure_ascii": False, "separators": (",", ":")}  # fmt: skip
    return folium


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


def base_map(tile_url: str | None, title: str) -> folium.Map:
    """The counties on a plain sea, fitted to show Taiwan with Penghu, Kinmen and Matsu."""
    figure = _folium().Map(
        location=[23.8, 120.6], zoom_start=7, tiles=None,
        control_scale=True, attribution_control=False, zoom_snap=0.25,
    )  # fmt: skip
    figure.options |= {"minZoom": 6, "maxZoom": 18}  # folium gives them to tiles alone
    figure.default_js = LEAFLET_JS  # on the instance: the class lists stay as folium ships them
    figure.default_css = LEAFLET_CSS
    figure.get_root().header.add_child(_folium().Element(f"<title>{escape(title)}</title>"))
    if tile_url:
        _folium().TileLayer(tiles=tile_url, attr="Agency tile server", name="底圖 Base map").add_to(
            figure
        )
    figure.fit_bounds(TAIWAN_BOUNDS)
    return figure


def county_layer(figure: folium.Map, day: date, shares: dict[str, Counter] | None = None,
                 state_land: frozenset[str] = frozenset()) -> None:  # fmt: skip
    """Every county, named as on `day`; with `shares` (register county -> ownership counts),
    filled by the share owned, the counties holding state land outlined."""
    features = []
    for shape in county_shapes()["features"]:
        code = shape["properties"]["code"]
        name, name_zh = county_names(code, day)
        register = next((n for n in known_names(code) if shares and n in shares), None)
        counts = shares[register] if register else Counter()
        land = register in state_land
        features.append({"type": "Feature", "geometry": shape["geometry"], "properties": {
            "code": code, "band": band(counts), "land": land,
            "tip": escape(county_tip(name, name_zh, counts, land)),
        }})  # fmt: skip
    _folium().GeoJson(
        {"type": "FeatureCollection", "features": features},
        name="縣市 Counties",
        control=False,
        className="nia-county",
        style_function=lambda f: county_style(f["properties"], shares is not None),
        highlight_function=lambda _: {"weight": 2.5},
        tooltip=_folium().GeoJsonTooltip(fields=["tip"], labels=False) if shares else None,
    ).add_to(figure)
    _folium().map.CustomPane("county-names", z_index=450, pointer_events=False).add_to(figure)
    for shape in county_shapes()["features"]:
        lon, lat = shape["properties"]["label"]
        name_zh = county_names(shape["properties"]["code"], day)[1]
        _folium().Marker(
            [lat, lon], pane="county-names", interactive=False,
            icon=_folium().DivIcon(html=f"<span>{escape(name_zh)}</span>",
                                class_name="nia-county-name", icon_size=(60, 16),
                                icon_anchor=(30, 8)),
        ).add_to(figure)  # fmt: skip


SHARE_BANDS = [(80, "#006d2c"), (60, "#31a354"), (40, "#74c476"), (20, "#bae4b3"), (0, "#edf8e9")]
"""The share owned, banded (ColorBrewer Greens, which read in grey print): (from %, colour)."""
NO_SITE, LAND, SEA_EDGE, STATE_LAND_EDGE = "#f4f1ea", "#e8e4d8", "#8c8471", "#e69f00"


def band(counts: Counter) -> int | None:
    """The lower bound of the share band a county's sites fall in; None with no site."""
    total = sum(counts.values())
    if not total:
        return None
    share = counts["owned"] * 100 / total
    return next(low for low, _ in SHARE_BANDS if share >= low)


def county_style(properties: dict, choropleth: bool) -> dict:
    colours = dict(SHARE_BANDS)
    fill = LAND if not choropleth else colours.get(properties["band"], NO_SITE)
    style = {"fillColor": fill, "fillOpacity": 1, "color": SEA_EDGE, "weight": 0.8}
    if properties["land"]:
        style |= {"color": STATE_LAND_EDGE, "weight": 3, "dashArray": "6 3"}
    return style


def county_tip(name: str, name_zh: str, counts: Counter, land: bool) -> str:
    total = sum(counts.values())
    if not total:
        return f"{name_zh} {name}: 無據點 no site"
    mix = " · ".join(f"{Ownership(k).zh} {k} {counts[k]}" for k in ("owned", "borrowed", "leased"))
    share = counts["owned"] * 100 / total
    return (f"{name_zh} {name}: 自有 {share:.1f}% owned ({counts['owned']}/{total}) · {mix}"
            + (" · 已取得國有土地 state land obtained" if land else ""))  # fmt: skip


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
    """What a site's popup and tooltip show, as plain text: the page's script puts it into the
    page as text nodes, never as markup."""
    kind = Ownership(site.ownership)
    return {
        "zh": site.name_zh, "en": site.name,
        "what": f"{site.site_type_zh} {site.site_type.replace('_', ' ')} · {site.county_zh}",
        "held": f"{kind.zh} {kind.value}", "project": site.project or "—",
        "rent": f"NT${site.annual_rent_ntd:,}" if site.annual_rent_ntd is not None else "—",
        "ends": (f"{site.lease_end.isoformat()} ({roc_date(site.lease_end)})"
                 if site.lease_end else "—"),
        "land": "已取得 obtained" if site.state_land_obtained else "—",
    }  # fmt: skip


def site_features(sites: Sequence[MapSite]) -> dict:
    """The sites as GeoJSON, each with what its popup shows (the fields of its kind)."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [s.lon, s.lat]},
         "properties": {"code": s.code, "kind": s.ownership} | {
             name: value for name, value in site_properties(s).items()
             if name in FIELDS[s.ownership]}}
        for s in sites
    ]}  # fmt: skip


def sites_script(feed_url: str) -> str:
    """The script that fetches the sites from `feed_url` and draws them in clusters."""
    options = {
        "colours": COLOURS,
        "canvasAbove": CANVAS_ABOVE,
        "fields": {kind: list(labels.items()) for kind, labels in FIELDS.items()},
    }
    return feed_script("/static/maps/ownership-sites.js", feed_url, options)


def feed_script(src: str, feed_url: str, options: dict) -> str:
    """A map's script that fetches its features from `feed_url`, with its `options`."""
    return (
        f"<script src='{src}' data-src='{escape(feed_url)}' "
        f"data-options='{escape(json.dumps(options, ensure_ascii=False))}'></script>"
    )


def ownership_map(
    sites: Sequence[MapSite], day: date, title: str, feed_url: str,
    overlays: Sequence[str] = (), tile_url: str | None = None,
) -> str:  # fmt: skip
    """The counties filled by the share owned (those holding state land outlined) and
    `overlays` (the caption and legend, from the page's templates); the sites themselves are
    fetched from `feed_url` by the page's script and clustered on top."""
    figure = base_map(tile_url, title)
    figure.default_js = [*figure.default_js, *CLUSTER_JS]
    figure.default_css = [*figure.default_css, *CLUSTER_CSS]
    shares: dict[str, Counter] = {}
    for site in sites:
        shares.setdefault(site.county, Counter())[site.ownership] += 1
    state_land = frozenset(s.county for s in sites if s.state_land_obtained)
    county_layer(figure, day, shares, state_land)
    return rendered(figure, [*overlays, sites_script(feed_url)])


FIT = (f"<script src='/static/maps/map-fit.js' data-bounds='{json.dumps(TAIWAN_BOUNDS)}'>"
       "</script>")  # fmt: skip


def rendered(figure: folium.Map, overlays: Sequence[str]) -> str:
    """The page, with `overlays` on the map and its view fitted to paper for printing."""
    root = figure.get_root()
    root.html.add_child(_folium().Element(FIT))
    for html in overlays:
        root.html.add_child(_folium().Element(html))
    return root.render()


STATUS_NAMES = {"red": "紅燈 red", "amber": "黃燈 amber", "green": "綠燈 green"}


def project_features(projects: Sequence[MapProject]) -> dict:
    """The projects as GeoJSON, each with what its popup shows."""
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
         "properties": {
             "code": p.code, "name": p.name, "name_zh": p.name_zh, "status": p.status,
             "reasons": list(p.reasons), "schedule_used_pct": p.schedule_used_pct,
             "work_done_pct": p.work_done_pct, "budget_burn_pct": p.budget_burn_pct,
             "budget_total_ntd": p.budget_total_ntd,
             "forecast_finish": p.forecast_finish.isoformat(),
             "forecast_finish_roc": roc_date(p.forecast_finish)}}
        for p in projects
    ]}  # fmt: skip


def projects_map(
    day: date, title: str, feed_url: str, overlays: Sequence[str] = (),
    tile_url: str | None = None,
) -> str:  # fmt: skip
    """The counties and `overlays`; the projects themselves are fetched from `feed_url` by the
    page's script, a layer per status."""
    figure = base_map(tile_url, title)
    county_layer(figure, day)
    options = {"colours": RAG_COLOURS, "names": STATUS_NAMES, "canvasAbove": CANVAS_ABOVE}
    script = feed_script("/static/maps/projects.js", feed_url, options)
    return rendered(figure, [*overlays, script])
