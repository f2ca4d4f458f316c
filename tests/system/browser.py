"""Pages opened in a real headless Chromium (Debian's, driven by Playwright), with every
request outside the app refused and recorded, so a page that reaches out fails its test."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import matplotlib.image
from playwright.sync_api import Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip
SPREAD = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const group = Object.values(window).find(v => v instanceof L.MarkerClusterGroup);
  const layers = group.getLayers();
  map.removeLayer(group);
  layers.forEach(layer => layer.addTo(map));
  return layers.length;
}"""
"""Every site marker straight on the map, out of its cluster (to click each one)."""
EXTERNAL_URL = re.compile(r"https?://(?!127\.0\.0\.1|localhost)[^\s\"'<>)]+")


@dataclass
class Visit:
    page: Page
    outside: list[str] = field(default_factory=list)


@contextmanager
def chromium(headers: dict[str, str] | None = None, width: int = 1280) -> Iterator[Visit]:
    """A browser; `headers` for tests of pages alone (journeys log in through the form)."""
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=FLAGS)
        context = browser.new_context(extra_http_headers=headers or {}, accept_downloads=True,
                                      viewport={"width": width, "height": 900})  # fmt: skip
        visit = Visit(context.new_page())

        def route(route):
            host = urlsplit(route.request.url).hostname
            if host in {"127.0.0.1", "localhost"} or route.request.url.startswith("data:"):
                route.continue_()
            else:
                visit.outside.append(route.request.url)
                route.abort()

        context.route("**/*", route)
        try:
            yield visit
        finally:
            browser.close()


def external_urls(html: str) -> list[str]:
    return EXTERNAL_URL.findall(html)


def pixels(png: bytes):
    """The screenshot as an array of RGB(A) floats in 0..1, rows by columns."""
    return matplotlib.image.imread(io.BytesIO(png), format="png")


def colour_near(image, x: float, y: float, hex_colour: str, tolerance: float = 0.12) -> bool:
    want = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    got = image[int(y), int(x)][:3]
    return all(abs(float(g) - w) <= tolerance for g, w in zip(got, want, strict=True))


def coloured_share(image) -> float:
    """Share of pixels that are neither white nor grey: something was drawn in colour."""
    rgb = image[..., :3]
    spread = rgb.max(axis=2) - rgb.min(axis=2)
    return float((spread > 0.15).mean())


def count_colour(image, hex_colour: str, tolerance: float = 0.08) -> int:
    """How many pixels show this colour (markers of one kind, for instance)."""
    want = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    rgb = image[..., :3]
    close = abs(rgb[..., 0] - want[0]) <= tolerance
    for channel in (1, 2):
        close &= abs(rgb[..., channel] - want[channel]) <= tolerance
    return int(close.sum())


SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


def log_in(page: Page, base: str, name: str, password: str) -> None:
    """As a person does: the login form, no token."""
    page.goto(f"{base}/login", wait_until="networkidle")
    page.get_by_label("帳號 User name").fill(name)
    page.get_by_label("密碼 Password").fill(password)
    page.get_by_role("button", name="登入 Log in").click()
    page.wait_for_load_state("networkidle")


def screenshot(page: Page, name: str) -> Path:
    """The page as it looks, kept under var/screenshots/ (not committed) to be looked at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
