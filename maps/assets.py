"""Scripts, styles and shapes the pages use, all served by the app itself (no CDN): Leaflet
from the `django-js-lib-leaflet` package, Leaflet.markercluster from
`xstatic-leaflet-markercluster`, and this package's own static folder (the county boundaries:
see `static/counties.NOTICE.md`)."""

from __future__ import annotations

import json
from datetime import date
from functools import cache
from pathlib import Path

import js_lib_leaflet
import xstatic.pkg.leaflet_markercluster as markercluster
from litestar.static_files import create_static_files_router

from facilities.core.http import PUBLIC

LEAFLET_DIR = Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet"
CLUSTER_DIR = Path(markercluster.BASE_DIR)
OWN_DIR = Path(__file__).parent / "static"
LEAFLET_JS = [
    ("html_shim", "/static/maps/html-shim.js"),
    ("leaflet", "/static/leaflet/leaflet.js"),
]
LEAFLET_CSS = [
    ("leaflet_css", "/static/leaflet/leaflet.css"),
    ("maps_css", "/static/maps/maps.css"),
]
CLUSTER_JS = [("markerclusterjs", "/static/markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [("markerclustercss", "/static/markercluster/MarkerCluster.css")]

RENAMED = {"68000": (date(2014, 12, 25), "Taoyuan County", "桃園縣")}
"""County code -> (the day of its new name, the name before it in English and Chinese)."""


def static_routers() -> list:
    """Static files need no login: they are the libraries, not the agency's data."""
    return [
        create_static_files_router("/static/leaflet", [LEAFLET_DIR], name="leaflet",
                                   opt={PUBLIC: True}),
        create_static_files_router("/static/markercluster", [CLUSTER_DIR],
                                   name="markercluster", opt={PUBLIC: True}),
        create_static_files_router("/static/maps", [OWN_DIR], name="maps-static",
                                   opt={PUBLIC: True}),
    ]  # fmt: skip


@cache
def county_shapes() -> dict:
    """The 22 counties and cities (GeoJSON), with their names of today."""
    return json.loads((OWN_DIR / "counties.geojson").read_text(encoding="utf-8"))


def county_names(code: str, day: date) -> tuple[str, str]:
    """A county's name (English, Chinese) as it was on `day`."""
    shape = next(f for f in county_shapes()["features"] if f["properties"]["code"] == code)
    if code in RENAMED and day < RENAMED[code][0]:
        return RENAMED[code][1], RENAMED[code][2]
    return shape["properties"]["name"], shape["properties"]["name_zh"]


def known_names(code: str) -> set[str]:
    """Every English name a county has had in the data (a register keeps the old one)."""
    shape = next(f for f in county_shapes()["features"] if f["properties"]["code"] == code)
    return {shape["properties"]["name"], *([RENAMED[code][1]] if code in RENAMED else [])}
