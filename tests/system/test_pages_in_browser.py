"""The ownership map, the projects map and the dashboard, drawn in headless Chromium with no
network: markers, legend and charts actually on screen, and no URL outside the app."""

from __future__ import annotations

import csv
from collections import Counter

import httpx

from bench.generate import grow_sites
from facilities.core.settings import Settings
from maps.charts import COLOURS
from tests.factories import auth_headers
from tests.system.browser import (
    chromium,
    colour_near,
    coloured_share,
    count_colour,
    external_urls,
    pixels,
)
from tests.system.server import running_server

SEED = Settings().seed_dir
STATE_LAND = ["Keelung City", "Changhua County", "Tainan City", "Hualien County"]
ROAD_BLUE = "#1f77b4"
UNDER_THE_PANEL = """() => {
  const panel = document.querySelector(".nia-road-panel");
  return [...document.querySelectorAll("path.nia-site")].filter(el => {
    const box = el.getBoundingClientRect();
    return panel.contains(document.elementFromPoint(box.left + box.width / 2,
                                                    box.top + box.height / 2));
  }).length;
}"""
"""How many site markers the road's panel on the map covers (none may be)."""


TOPMOST_CENTRE = """selector => {
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (document.elementFromPoint(x, y) === el) return [x, y];
  }
  return null;
}"""
"""The centre of a marker of the kind that no other marker covers."""


def seed_counts() -> Counter:
    with open(SEED / "sites.csv", encoding="utf-8") as f:
        return Counter(row["ownership"] for row in csv.DictReader(f))


def test_the_ownership_map_draws_every_site_in_its_colour(settings, tmp_path):
    headers = auth_headers(settings, "liaison")
    with running_server(settings) as base, chromium(headers) as visit:
        page = visit.page
        page.goto(f"{base}/maps/ownership", wait_until="networkidle")
        page.wait_for_selector("path.nia-site")
        counts = {kind: page.locator(f"path.nia-{kind}").count() for kind in COLOURS}
        assert counts == dict(seed_counts()) and sum(counts.values()) == 65
        assert (
            page.locator(".nia-legend").is_visible() and page.locator(".nia-caption").is_visible()
        )
        caption = page.locator(".nia-caption").inner_text()
        assert "14" in caption and "21.5%" in caption and "26.2%" in caption and "52.3%" in caption
        assert page.locator(".leaflet-control-layers-overlays label").count() == 4
        assert page.locator(".nia-county").count() == 22
        shot = tmp_path / "ownership.png"
        page.screenshot(path=str(shot))
        image = pixels(shot.read_bytes())
        for kind, colour in COLOURS.items():
            x, y = page.evaluate(TOPMOST_CENTRE, f"path.nia-{kind}")
            assert colour_near(image, x, y, colour), (kind, image[int(y), int(x)])
        page.locator("path.nia-leased").first.click(force=True)
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "Annual rent" in popup and "Lease ends" in popup and "NT$" in popup
        assert external_urls(page.content()) == [] and visit.outside == []


def test_a_layer_switches_off(settings):
    with running_server(settings) as base, chromium(auth_headers(settings, "executive")) as visit:
        page = visit.page
        page.goto(f"{base}/maps/ownership", wait_until="networkidle")
        page.locator(".leaflet-control-layers-overlays label", has_text="leased").locator(
            "input"
        ).uncheck()
        assert page.locator("path.nia-leased").count() == 0
        assert page.locator("path.nia-owned").count() == 14


def test_the_dashboard_draws_its_charts(settings, tmp_path):
    with running_server(settings) as base, chromium(auth_headers(settings, "executive")) as visit:
        page = visit.page
        page.goto(f"{base}/dashboard", wait_until="networkidle")
        text = page.inner_text("body")
        assert "21.5%" in text and "服務據點權屬" in text and "What moving saves" in text
        images = page.locator("img")
        assert images.count() == 2 + 10  # ownership outlook, rent, and one S-curve per project
        widths = page.eval_on_selector_all("img", "els => els.map(e => e.naturalWidth)")
        assert all(w > 100 for w in widths)
        first_rows = page.locator("table").last.locator("tr").nth(1).inner_text()
        assert "red" in first_rows
        shot = tmp_path / "dashboard.png"
        page.screenshot(path=str(shot), full_page=True)
        assert coloured_share(pixels(shot.read_bytes())) > 0.02
        assert external_urls(page.content()) == [] and visit.outside == []


def test_the_projects_map(settings):
    with running_server(settings) as base, chromium(auth_headers(settings, "liaison")) as visit:
        page = visit.page
        page.goto(f"{base}/maps/projects", wait_until="networkidle")
        assert page.locator("path.nia-project").count() == 10
        assert page.locator("path.nia-red").count() == 2
        assert external_urls(page.content()) == [] and visit.outside == []


def test_the_map_of_6500_sites_still_opens(settings, db, tmp_path):
    total = grow_sites(db, 100)
    assert total == 6500
    with running_server(settings) as base, chromium(auth_headers(settings, "executive")) as visit:
        page = visit.page
        page.goto(f"{base}/maps/ownership", wait_until="networkidle", timeout=120_000)
        assert page.evaluate("window.NIA_SITE_COUNT") == 6500
        assert page.locator(".leaflet-overlay-pane canvas").count() >= 1
        shot = tmp_path / "big.png"
        page.screenshot(path=str(shot))
        image = pixels(shot.read_bytes())
        assert all(count_colour(image, colour) > 100 for colour in COLOURS.values())
        assert visit.outside == []


def test_a_liaison_may_not_open_the_dashboard(settings):
    with running_server(settings) as base, chromium(auth_headers(settings, "liaison")) as visit:
        response = visit.page.goto(f"{base}/dashboard")
        assert response.status == 403


def test_the_dashboard_shows_the_road_to_full_ownership(settings, tmp_path):
    headers = auth_headers(settings, "executive")
    with running_server(settings) as base, chromium(headers) as visit:
        with httpx.Client(base_url=base, headers=headers) as http:
            ila = http.get("/api/v1/projects/MSC-ILA").json()["burn"]["forecast_finish"]
        page = visit.page
        page.goto(f"{base}/dashboard", wait_until="networkidle")
        rows = page.locator("#road tr.road-county")
        assert rows.count() == 22
        assert [rows.nth(i).get_attribute("data-county") for i in range(4)] == STATE_LAND
        assert "state-land" not in (rows.nth(4).get_attribute("class") or "")
        keelung = rows.nth(0)
        assert keelung.locator(".strip i.on").count() == 2
        assert "已覓得國有土地" in keelung.inner_text() and "中期 mid" in keelung.inner_text()
        yilan = page.locator("#road tr[data-county='Yilan County']")
        assert yilan.locator(".owned-by").inner_text() == ila[:4]
        assert "完全自有化之路" in page.inner_text("#road")
        shot = tmp_path / "road.png"
        page.screenshot(path=str(shot), full_page=True)
        box = keelung.locator(".strip i.on").first.bounding_box()
        assert box is not None and box["width"] >= 8  # the strip's own stylesheet is applied
        scroll = page.evaluate("window.scrollY")
        x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 + scroll
        assert colour_near(pixels(shot.read_bytes()), x, y, ROAD_BLUE)
        assert external_urls(page.content()) == [] and visit.outside == []


def test_the_ownership_map_shows_the_road(settings):
    with running_server(settings) as base, chromium(auth_headers(settings, "liaison")) as visit:
        page = visit.page
        page.goto(f"{base}/maps/ownership", wait_until="networkidle")
        panel = page.locator(".nia-road-panel")
        assert panel.is_visible() and "完全自有化之路" in panel.inner_text()
        rows = panel.locator("tr.road-county")
        assert rows.count() == 22
        assert [rows.nth(i).get_attribute("data-county") for i in range(4)] == STATE_LAND
        assert rows.nth(0).get_attribute("data-stage") == "land_identified"
        box = panel.bounding_box()
        assert box is not None and box["x"] < 20 and box["y"] > 300  # a panel, bottom left
        assert page.locator("path.nia-site").count() == 65
        assert page.evaluate(UNDER_THE_PANEL) == 0
        assert external_urls(page.content()) == [] and visit.outside == []
