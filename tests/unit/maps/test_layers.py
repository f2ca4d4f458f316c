"""The map builders on rows made by hand."""

from __future__ import annotations

import re
from datetime import date

from facilities.core.templates import environment, render
from facilities.domains import template_folders
from facilities.ops.agency import NOT_SET
from facilities.sites.rules import breakdown
from maps.charts import COLOURS
from maps.layers import MapSite, ownership_map

LEASED = MapSite(
    "A-1",
    "Leased office",
    "租用據點",
    "service_station",
    "服務站",
    "leased",
    25.0,
    121.5,
    "Taipei City",
    "臺北市",
    annual_rent_ntd=1_234_567,
    lease_end=date(2015, 1, 1),
)


def test_a_map_with_one_kind_of_ownership_only_still_has_every_layer():
    html = ownership_map([LEASED])
    for label in ("owned (0)", "borrowed (0)", "leased (1)"):  # the Chinese is \u-escaped
        assert label in html
    assert "NT$1,234,567" in html and "2015-01-01" in html


def test_no_url_outside_the_app_and_the_caption_in_both_calendars():
    overlay = render(
        environment(template_folders(), {"agency": NOT_SET}), "maps/ownership_overlay.html",
        as_of=date(2014, 6, 30),
        projected=True, total=1, shares=breakdown(["leased"]).shares, colours=COLOURS,
    )  # fmt: skip
    html = ownership_map([LEASED], [overlay])
    assert re.findall(r"https?://", html) == []
    assert "2014-06-30 (民國103年6月30日) · 預估 projected" in html
    assert "有償租用 leased <b>1</b> (100.0%; 100% as printed)" in html
    assert "/static/leaflet/leaflet.js" in html and "/static/maps/html-shim.js" in html
