"""Scripts, styles and shapes the pages use, all served by the app itself (no CDN): Leaflet
from the `django-js-lib-leaflet` package, and this package's own static folder."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import js_lib_leaflet
from litestar.static_files import create_static_files_router

from facilities.core.http import PUBLIC

LEAFLET_DIR = Path(js_lib_leaflet.__file__).parent / "static" / "js_lib_leaflet"
OWN_DIR = Path(__file__).parent / "static"
LEAFLET_JS = [
    ("html_shim", "/static/maps/html-shim.js"),
    ("leaflet", "/static/leaflet/leaflet.js"),
]
LEAFLET_CSS = [
    ("leaflet_css", "/static/leaflet/leaflet.css"),
    ("maps_css", "/static/maps/maps.css"),
]


def static_routers() -> list:
    """Static files need no login: they are the libraries, not the agency's data."""
    return [
        create_static_files_router("/static/leaflet", [LEAFLET_DIR], name="leaflet",
                                   opt={PUBLIC: True}),
        create_static_files_router("/static/maps", [OWN_DIR], name="maps-static",
                                   opt={PUBLIC: True}),
    ]  # fmt: skip


@cache
def land_outline() -> dict:
    """A hand-simplified outline of Taiwan, Penghu, Kinmen, Matsu, Green and Orchid Islands:
    the land on a map that has no tile server."""
    return json.loads((OWN_DIR / "taiwan_outline.json").read_text(encoding="utf-8"))
