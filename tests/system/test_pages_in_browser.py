"""The ownership map, the projects map and the dashboard, drawn in headless Chromium with no
network, each person logged in through the login form: counties filled by the share owned,
markers that never pile up, charts whose Chinese is drawn in glyphs (not boxes), pages that
print on A4 landscape, and no URL outside the app."""

from __future__ import annotations

import csv
from collections import Counter

import pytest

from bench.generate import grow_sites
from facilities.auth.models import Role
from facilities.auth.services import create_user
from facilities.core.db import Database
from facilities.core.settings import Settings
from maps.charts import COLOURS
from maps.layers import SHARE_BANDS
from tests.system.browser import (
    SPREAD,
    chromium,
    colour_near,
    external_urls,
    log_in,
    pixels,
    screenshot,
)
from tests.system.server import running_server

SEED = Settings().seed_dir
PASSWORD = "correct horse battery"
STATE_LAND = ["Keelung City", "Changhua County", "Tainan City", "Hualien County"]
ROAD_BLUE = "#1f77b4"
A4_LANDSCAPE = {"width": 1123, "height": 794}
"""A4 landscape at the browser's 96 pixels an inch."""

MARKERS = """() => [...document.querySelectorAll('.nia-cluster-icon, path.nia-site')]
  .map(el => el.getBoundingClientRect())
  .filter(b => b.width > 0 && b.bottom > 0 && b.right > 0
               && b.top < innerHeight && b.left < innerWidth)
  .map(b => [b.left, b.top, b.width, b.height])"""
"""Every site marker and cluster on screen, as boxes."""
READY = "html[data-map=ready]"
"""The ownership map's script has drawn every site it fetched."""
TOPMOST_CENTRE = """selector => {
  for (const el of document.querySelectorAll(selector)) {
    const box = el.getBoundingClientRect();
    const x = box.left + box.width / 2, y = box.top + box.height / 2;
    if (x > 0 && y > 0 && x < innerWidth && y < innerHeight
        && document.elementFromPoint(x, y) === el) return [x, y];
  }
  return null;
}"""
"""The centre of a marker of the kind, on screen and covered by nothing."""
IN_CLUSTERS = """() => [...document.querySelectorAll('.nia-cluster')].map(el =>
  [+el.dataset.owned, +el.dataset.borrowed, +el.dataset.leased])"""
DRAWN_IN_GLYPHS = """selector => {
  // Chinese drawn in boxes draws every character alike (the font's missing glyph): draw two
  // different characters of each label in the label's own font and compare the pixels.
  const ink = (text, font) => {
    const canvas = document.createElement('canvas');
    canvas.width = 64; canvas.height = 64;
    const context = canvas.getContext('2d');
    context.font = font;
    context.fillText(text, 4, 48);
    return canvas.toDataURL();
  };
  const labels = [...document.querySelectorAll(selector)]
    .map(el => [el.textContent.match(/[\\u4e00-\\u9fff]/g) || [], getComputedStyle(el)]);
  const chinese = labels.filter(([chars]) => new Set(chars).size >= 2);
  const boxed = chinese.filter(([chars, style]) => {
    const font = `40px ${style.fontFamily}`;
    const [a, b] = [...new Set(chars)];
    return ink(a, font) === ink(b, font) || ink(a, font) === ink('\\u{10FFFD}', font);
  });
  return [chinese.length, boxed.length];
}"""


@pytest.fixture
def people(settings):
    db = Database(settings)
    with db.session(write=True) as session:
        for role in Role:
            create_user(session, role.value, role, PASSWORD)
    db.dispose()
    return settings


def seed_rows(name: str) -> list[dict[str, str]]:
    with open(SEED / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def expected_fills() -> Counter:
    """Each county's fill, computed from the seed: the band of its share owned."""
    by_county: dict[str, Counter] = {c["name"]: Counter() for c in seed_rows("counties.csv")}
    for site in seed_rows("sites.csv"):
        by_county[site["county"]][site["ownership"]] += 1
    fills = Counter()
    for counts in by_county.values():
        share = counts["owned"] * 100 / sum(counts.values())
        fills[next(colour for low, colour in SHARE_BANDS if share >= low)] += 1
    return fills


def overlap(a: list[float], b: list[float]) -> float:
    """The share of the smaller box that the other covers."""
    width = min(a[0] + a[2], b[0] + b[2]) - max(a[0], b[0])
    height = min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])
    if width <= 0 or height <= 0:
        return 0.0
    return width * height / min(a[2] * a[3], b[2] * b[3])


def test_the_ownership_map_for_the_legislature(people):
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "executive", PASSWORD)
        page.goto(f"{base}/maps/ownership", wait_until="networkidle")
        page.wait_for_selector(READY, state="attached")
        assert "服務據點權屬地圖 Ownership map" in page.title()
        caption = page.locator(".nia-caption").inner_text()
        assert "民國103年6月30日" in caption and "2014-06-30" in caption
        assert "自有 owned 14 (21.5%; 21% as printed)" in caption
        assert "有償租用 leased 34 (52.3%; 52% as printed)" in caption
        assert page.locator(".nia-caption a[href='/dashboard']").is_visible()
        assert page.locator(".nia-caption a[href='/maps/projects']").is_visible()
        legend = page.locator(".nia-legend")
        assert legend.is_visible() and "縣市自有比例" in legend.inner_text()
        assert "已取得國有土地" in legend.inner_text()
        counties = seed_rows("counties.csv")
        polygons = page.locator("path.nia-county")
        assert polygons.count() == len(counties) == 22
        fills = Counter(polygons.evaluate_all("els => els.map(e => e.getAttribute('fill'))"))
        assert fills == expected_fills()
        dashed = polygons.evaluate_all("els => els.filter(e => e.getAttribute('stroke-dasharray'))"
                                       ".length")  # fmt: skip
        assert dashed == len(STATE_LAND)
        names = page.locator(".nia-county-name").all_inner_texts()
        assert sorted(names) == sorted(c["name_zh"] for c in counties)  # 桃園縣 in 2014
        boxes = page.evaluate(MARKERS)
        assert boxes and all(overlap(a, b) <= 0.5 for i, a in enumerate(boxes)
                             for b in boxes[i + 1:])  # fmt: skip
        held = [sum(k) for k in zip(*page.evaluate(IN_CLUSTERS), strict=True)]
        sites = Counter(s["ownership"] for s in seed_rows("sites.csv"))
        singles = {k: page.locator(f"path.nia-{k}").count() for k in COLOURS}
        assert [held[i] + singles[k] for i, k in enumerate(COLOURS)] == [sites[k] for k in COLOURS]
        screenshot(page, "map-ownership")
        page.locator(".nia-cluster", has_text="4").first.click()  # zooms in to its sites
        page.wait_for_selector("path.nia-leased")
        page.wait_for_timeout(600)  # the zoom's animation
        page.mouse.click(*page.evaluate(TOPMOST_CENTRE, "path.nia-leased"))
        popup = page.locator(".leaflet-popup-content").inner_text()
        assert "年租金 Annual rent" in popup and "NT$" in popup
        assert external_urls(page.content()) == [] and visit.outside == []


def test_every_site_marker_opens_and_none_hides_under_the_road_panel(people):
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "liaison", PASSWORD)
        page.goto(f"{base}/maps/ownership", wait_until="networkidle")
        page.wait_for_selector(READY, state="attached")
        panel = page.locator(".nia-road-panel")
        assert panel.is_visible() and panel.locator("tr.road-county").count() == 22
        covered = page.evaluate("""() => {
          const panel = document.querySelector('.nia-road-panel');
          return [...document.querySelectorAll('.nia-cluster-icon')].filter(el => {
            const b = el.getBoundingClientRect();
            return panel.contains(document.elementFromPoint(b.left + b.width / 2,
                                                            b.top + b.height / 2));
          }).length;
        }""")
        assert covered == 0
        assert page.evaluate(SPREAD) == 65
        assert page.locator("path.nia-site").count() == 65


def test_the_dashboard_shows_the_road_to_full_ownership(people, tmp_path):
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "executive", PASSWORD)
        ila = page.request.get(f"{base}/api/v1/projects/MSC-ILA").json()["burn"]["forecast_finish"]
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


def test_the_dashboard_charts_speak_chinese_and_open_full_size(people):
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "executive", PASSWORD)
        assert page.url.endswith("/dashboard")
        charts = page.locator("svg.nia-svg")
        assert charts.count() == 2 + 10  # ownership trajectory, rent, an S-curve per project
        chinese, boxed = page.evaluate(DRAWN_IN_GLYPHS, "svg.nia-svg text")
        assert chinese >= 12 and boxed == 0
        trajectory = charts.first.inner_html()
        assert "目標：全數自有" in trajectory and "已記錄 recorded" in trajectory
        assert "預估 projected" in trajectory and "21.5%" in trajectory
        rent = charts.nth(1).inner_html()
        assert "103年度目標 FY2014 target 70.7" in rent and "101年度" in rent
        for chart in charts.all()[:2]:  # the legends cover no line or bar: they sit outside
            assert chart.bounding_box()["width"] > 500
        thumbnail = page.locator("button.nia-curve").first
        small = thumbnail.bounding_box()["width"]
        thumbnail.click()
        zoomed = page.locator("dialog.nia-zoom svg")
        assert zoomed.is_visible() and zoomed.bounding_box()["width"] > 2.5 * small
        screenshot(page, "dashboard-s-curve")
        page.keyboard.press("Escape")
        assert not page.locator("dialog.nia-zoom").is_visible()
        screenshot(page, "dashboard")
        assert external_urls(page.content()) == [] and visit.outside == []


@pytest.mark.parametrize("path", ["/dashboard", "/maps/ownership", "/maps/projects"])
def test_pages_print_on_a4_landscape_with_nothing_cut_off(people, path, tmp_path):
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "executive", PASSWORD)
        page.goto(f"{base}{path}", wait_until="networkidle")
        page.emulate_media(media="print")
        page.set_viewport_size(A4_LANDSCAPE)
        page.evaluate("window.dispatchEvent(new Event('beforeprint'))")  # pdf() does not
        page.wait_for_timeout(300)
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        assert overflow <= 0, path
        cut = page.evaluate("""() => [...document.querySelectorAll(
            '.nia-caption, .nia-legend, svg.nia-svg, table')]
          .filter(el => el.getBoundingClientRect().right > innerWidth + 1).length""")
        assert cut == 0, path
        pdf = tmp_path / "page.pdf"
        page.pdf(path=str(pdf), format="A4", landscape=True, print_background=True)
        assert pdf.read_bytes().startswith(b"%PDF") and pdf.stat().st_size > 10_000
        if path.startswith("/maps"):  # every county on the page, none under the caption
            boxes = page.locator("path.nia-county").evaluate_all(
                "els => els.map(e => e.getBoundingClientRect().toJSON())"
            )
            caption = page.locator(".nia-caption").bounding_box()
            assert len(boxes) == 22 and all(
                b["left"] >= 0 and b["top"] >= 0 and b["right"] <= A4_LANDSCAPE["width"]
                and b["bottom"] <= A4_LANDSCAPE["height"] for b in boxes)  # fmt: skip
            assert all(b["top"] >= caption["y"] + caption["height"] or
                       b["left"] >= caption["x"] + caption["width"] for b in boxes)  # fmt: skip


OPEN_PROJECT = """code => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  let text = null;
  map.eachLayer(layer => {
    if (layer.feature?.properties.code !== code || !layer.getPopup) return;
    layer.openPopup();
    text = layer.getPopup().getElement().innerText;
  });
  return text;
}"""
"""A project's popup, opened as a click opens it: its text."""


def test_the_projects_map(people):
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "liaison", PASSWORD)
        page.goto(f"{base}/maps/projects", wait_until="networkidle")
        page.wait_for_selector("html[data-map=ready]", state="attached")
        assert "工程計畫地圖 Projects map" in page.title()
        assert page.locator("path.nia-county").count() == 22
        assert page.locator("path.nia-project").count() == 10
        assert page.locator("path.nia-red").count() == 2
        controls = page.locator(".leaflet-control-layers").inner_text()
        assert all(name in controls for name in ("紅燈 red", "黃燈 amber", "綠燈 green"))
        assert page.locator(".nia-caption a[href='/maps/ownership']").is_visible()
        screenshot(page, "map-projects")
        popup = page.evaluate(OPEN_PROJECT, "SDC-KHH")
        assert "南部收容所及被害人庇護安置處所興建工程" in popup
        assert "(SDC-KHH)" in popup and "預算 Budget NT$237,396,755" in popup
        assert external_urls(page.content()) == [] and visit.outside == []


def test_the_map_of_6500_sites_is_small_and_opens(people, db, tmp_path):
    assert grow_sites(db, 100) == 6500
    with running_server(people) as base, chromium(width=1366) as visit:
        page = visit.page
        log_in(page, base, "executive", PASSWORD)
        with page.expect_response(lambda r: "/maps/ownership/sites" in r.url) as fetched:
            response = page.goto(f"{base}/maps/ownership", timeout=120_000)
        page.wait_for_selector(READY, state="attached", timeout=60_000)  # built in chunks
        assert len(response.body()) < 200_000  # the sites come apart, from the feed
        assert fetched.value.headers["content-encoding"] == "gzip"
        assert len(fetched.value.json()["features"]) == 6500
        assert page.evaluate("window.NIA_SITE_COUNT") == 6500
        assert page.evaluate("window.NIA_SITES.getLayers().length") == 6500
        on_canvas = "NIA_SITES.getLayers().every(m => m.options.renderer instanceof L.Canvas)"
        assert page.evaluate(on_canvas)  # above a thousand sites, one canvas
        held = [sum(k) for k in zip(*page.evaluate(IN_CLUSTERS), strict=True)]
        assert sum(held) + page.locator("path.nia-site").count() == 6500
        boxes = page.evaluate(MARKERS)
        assert all(overlap(a, b) <= 0.5 for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        shot = tmp_path / "big.png"
        page.screenshot(path=str(shot))
        assert pixels(shot.read_bytes()).shape[1] == 1366
        assert visit.outside == []


def test_a_liaison_may_not_open_the_dashboard(people):
    with running_server(people) as base, chromium() as visit:
        log_in(visit.page, base, "liaison", PASSWORD)
        assert visit.page.goto(f"{base}/dashboard").status == 403
