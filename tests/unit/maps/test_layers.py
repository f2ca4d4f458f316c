"""The map builders on rows made by hand."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date

from facilities.core.templates import environment, render
from facilities.domains import template_folders
from facilities.ops.agency import NOT_SET
from facilities.sites.rules import breakdown
from maps.charts import COLOURS
from maps.layers import (
    NO_SITE,
    SHARE_BANDS,
    STATE_LAND_EDGE,
    MapSite,
    band,
    county_style,
    ownership_map,
    site_features,
)

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


DAY = date(2014, 6, 30)
FEED = "/maps/ownership/sites?as_of=2014-06-30"


def label(name: str) -> str:
    """A county's name as the page's script carries it (folium writes JSON, ASCII-escaped)."""
    return json.dumps(f"<span>{name}</span>").replace("<", "\\u003c").replace(">", "\\u003e")


def test_a_map_with_one_kind_of_ownership_only_draws_it_and_every_county():
    html = ownership_map([LEASED], DAY, "權屬 Ownership", FEED)
    assert "NT$1,234,567" not in html and "A-1" not in html  # the sites come from the feed
    assert "data-src='/maps/ownership/sites?as_of=2014-06-30'" in html
    assert html.count('"code":') == 22  # every county's polygon, named below
    assert all(label(name) in html for name in ("臺北市", "連江縣", "金門縣", "澎湖縣"))
    assert "臺北市 Taipei City: 自有 0.0% owned (0/1)" in html
    assert "新北市 New Taipei City: 無據點 no site" in html
    assert "<title>權屬 Ownership</title>" in html and "/static/maps/ownership-sites.js" in html


def test_taoyuan_is_named_as_it_was_on_the_maps_date():
    before = ownership_map([LEASED], date(2014, 12, 24), "t", FEED)
    after = ownership_map([LEASED], date(2014, 12, 25), "t", FEED)
    assert label("桃園縣") in before and label("桃園市") not in before
    assert label("桃園市") in after and label("桃園縣") not in after


def test_a_register_keeping_the_old_name_still_fills_its_county():
    site = MapSite("T-1", "Office", "辦公室", "service_station", "服務站", "owned", 24.99, 121.3,
                   "Taoyuan County", "桃園縣")  # fmt: skip
    assert "桃園市 Taoyuan City: 自有 100.0% owned (1/1)" in ownership_map(
        [site], date(2026, 1, 1), "t", FEED
    )


def test_the_share_bands_and_the_state_land_outline():
    counts = Counter(owned=1, leased=4)  # 20%: the band from 20
    assert band(counts) == 20 and band(Counter(owned=4, leased=1)) == 80 and band(Counter()) is None
    assert band(Counter(owned=1, leased=5)) == 0  # 16.7%
    style = county_style({"band": 80, "land": True}, choropleth=True)
    assert style["fillColor"] == dict(SHARE_BANDS)[80] and style["color"] == STATE_LAND_EDGE
    assert county_style({"band": None, "land": False}, choropleth=True)["fillColor"] == NO_SITE


def test_no_url_outside_the_app_and_the_caption_in_both_calendars():
    overlay = render(
        environment(template_folders(), {"agency": NOT_SET}), "maps/ownership_overlay.html",
        as_of=DAY, projected=True, total=1, shares=breakdown(["leased"]).shares,
        colours=COLOURS, bands=SHARE_BANDS, no_site=NO_SITE, state_land_edge=STATE_LAND_EDGE,
    )  # fmt: skip
    html = ownership_map([LEASED], DAY, "t", FEED, [overlay])
    assert re.findall(r"https?://", html) == []
    assert "<b>民國103年6月30日</b> (2014-06-30) · 預估 projected" in html
    assert "有償租用 leased <b>1</b> (100.0%; 100% as printed)" in html
    assert "80% 以上 and over" in html and "20%–40%" in html and "0%–20%" in html
    for script in ("/static/leaflet/leaflet.js", "/static/maps/html-shim.js",
                   "/static/markercluster/leaflet.markercluster.js"):  # fmt: skip
        assert script in html


def test_a_feature_carries_its_kinds_fields_as_plain_text():
    owned = MapSite("O-1", "<b>Own</b>", "自有", "service_station", "服務站", "owned", 24.1, 120.7,
                    "Taichung City", "臺中市", project="MSC-TXG (green)")  # fmt: skip
    leased, mine = site_features([LEASED, owned])["features"]
    assert leased["geometry"] == {"type": "Point", "coordinates": [121.5, 25.0]}
    assert leased["properties"] == {
        "code": "A-1", "kind": "leased", "zh": "租用據點", "en": "Leased office",
        "what": "服務站 service station · 臺北市", "held": "有償租用 leased", "project": "—",
        "rent": "NT$1,234,567", "ends": "2015-01-01 (民國104年1月1日)", "land": "—",
    }  # fmt: skip
    assert mine["properties"]["en"] == "<b>Own</b>"  # text: the page sets it as text
    assert mine["properties"]["project"] == "MSC-TXG (green)" and "rent" not in mine["properties"]
